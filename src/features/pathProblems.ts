// The commit rules' collector: errors and warnings, each with its path under the feature's base.
import { ConfigPathError } from '../errors.js';

export function pathProblems(base: readonly string[]) {
  const problems: ConfigPathError[] = [];
  return {
    problems,
    error: (path: readonly string[], detail: string) => {
      problems.push(new ConfigPathError([...base, ...path], detail));
    },
    warn: (path: readonly string[], detail: string) => {
      problems.push(new ConfigPathError([...base, ...path], detail, 'warning'));
    },
  };
}
