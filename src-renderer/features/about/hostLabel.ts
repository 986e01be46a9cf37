import type { AppInfo } from '../../../src-shared/domain/appInfo.ts';

const labels: Record<AppInfo['host'], string> = {
  electron: 'Desktop app',
  bridge: 'Browser, via service-creator serve',
  cli: 'Command line',
};

/** Which face hosts the core, in words. */
export function hostLabel(host: AppInfo['host']): string {
  return labels[host];
}
