import { deploymentTargets, frameworksByLanguage, languages, testLevels } from '../../../../src-shared/domain/serviceSpec.ts';
import { CheckboxGroup } from './CheckboxGroup.tsx';
import { FormField } from './FormField.tsx';
import { OptionalSelect } from './OptionalSelect.tsx';
import type { SpecFormSectionProps } from './SpecFormSection.ts';
import { choicesOf, deploymentLabels, frameworkLabels, languageLabels, testLevelLabels } from './specLabels.ts';

/** The generated project: language and framework, deployment, and the tests it must pass. */
export function SpecBuildFields({ form, change }: SpecFormSectionProps) {
  const frameworks = form.language === '' ? [] : frameworksByLanguage[form.language];
  return (
    <>
      <OptionalSelect
        label="Language"
        testId="spec-language"
        value={form.language}
        choices={choicesOf(languages, languageLabels)}
        onChange={(language) => {
          // Only the frameworks of the language can be picked: another one is cleared.
          const keep = language !== '' && form.framework !== '' && frameworksByLanguage[language].includes(form.framework);
          change({ language, framework: keep ? form.framework : '' });
        }}
      />
      <OptionalSelect
        label="Framework"
        testId="spec-framework"
        value={form.framework}
        choices={choicesOf(frameworks, frameworkLabels)}
        emptyLabel={form.language === '' ? 'Pick a language first' : 'Not set'}
        onChange={(framework) => {
          change({ framework });
        }}
      />
      <CheckboxGroup
        legend="Deployment"
        testId="spec-deployment"
        values={form.deployment}
        choices={choicesOf(deploymentTargets, deploymentLabels)}
        onChange={(deployment) => {
          change({ deployment });
        }}
      />
      <CheckboxGroup
        legend="Tests"
        testId="spec-test-levels"
        values={form.testLevels}
        choices={choicesOf(testLevels, testLevelLabels)}
        onChange={(levels) => {
          change({ testLevels: levels });
        }}
      />
      <label className="checkbox-field spec-single-checkbox">
        <input
          type="checkbox"
          data-testid="spec-mock-vendor-apis"
          checked={form.mockVendorApis}
          onChange={(event) => {
            change({ mockVendorApis: event.target.checked });
          }}
        />
        <span>Mock the vendor APIs in tests</span>
      </label>
      <FormField label="Coverage target (%)" hint="Optional, 0 to 100.">
        {({ id, hintId }) => (
          <input
            id={id}
            className="text-input spec-coverage"
            data-testid="spec-coverage"
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            value={form.coverage}
            aria-describedby={hintId}
            onChange={(event) => {
              change({ coverage: event.target.value });
            }}
          />
        )}
      </FormField>
    </>
  );
}
