// The section a page belongs to, by its top folder, as search results name it.
const SECTIONS: Record<string, string> = {
  guide: 'Guide',
  training: 'Training',
  runbooks: 'Runbook',
  support: 'Support',
  reference: 'Reference',
};

export function sectionOf(id: string): string | undefined {
  return SECTIONS[id.split('/')[0] ?? ''];
}
