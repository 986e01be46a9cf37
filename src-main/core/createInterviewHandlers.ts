import type { InterviewService } from '../interview/InterviewService.ts';
import type { Handlers } from './Handlers.ts';

type InterviewChannels =
  | 'interview.get'
  | 'interview.next'
  | 'interview.answer'
  | 'interview.edit'
  | 'interview.cancel'
  | 'interview.reset'
  | 'spec.get'
  | 'spec.set'
  | 'spec.import'
  | 'spec.export';

/** The interview and spec channels, over the InterviewService. */
export function createInterviewHandlers(interview: InterviewService): Pick<Handlers, InterviewChannels> {
  return {
    'interview.get': ({ projectId }) => interview.state(projectId),
    'interview.next': ({ projectId }) => interview.next(projectId),
    'interview.answer': ({ projectId, turnId, answer }) => interview.answer(projectId, turnId, answer),
    'interview.edit': ({ projectId, turnId, answer }) => interview.edit(projectId, turnId, answer),
    'interview.cancel': ({ projectId }) => ({ cancelled: interview.cancel(projectId) }),
    'interview.reset': ({ projectId }) => interview.reset(projectId),
    'spec.get': ({ projectId }) => interview.specView(projectId),
    'spec.set': ({ projectId, spec }) => interview.setSpec(projectId, spec),
    'spec.import': ({ projectId, json }) => interview.importSpec(projectId, json),
    'spec.export': ({ projectId }) => interview.exportSpec(projectId),
  };
}
