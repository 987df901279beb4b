// Where this build's releases are. A packaged app built with a GitHub publish configuration carries
// resources/app-update.yml (written by electron-builder, read by electron-updater for downloads);
// the check reads the same file, so the repository is named in one place. A development build
// has no such file, and so no feed.

const NAME = /^[A-Za-z0-9_.-]+$/;

/** GitHub's /releases/latest API URL for the repository app-update.yml names, or null. */
export function releaseFeedFromUpdateConfig(yamlText: string | null): string | null {
  if (yamlText === null) return null;
  // The file is electron-builder's flat `key: value` YAML; only three plain keys are read.
  const fields = new Map<string, string>();
  for (const line of yamlText.split(/\r?\n/)) {
    const m = /^([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, '$2'));
  }
  const owner = fields.get('owner');
  const repo = fields.get('repo');
  if (fields.get('provider') !== 'github' || !owner || !repo || !NAME.test(owner) || !NAME.test(repo)) return null;
  return `https://api.github.com/repos/${owner}/${repo}/releases/latest`;
}
