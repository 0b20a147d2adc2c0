// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { satteri } from '@astrojs/markdown-satteri';
// starlight-links-validator ships its TypeScript sources, which do not type-check against
// Astro 7's types, and tsc checks .ts files under node_modules even with skipLibCheck. The query
// string hides the module from tsc (it cannot resolve it); Vite, which loads this config,
// resolves it as usual.
// @ts-expect-error -- deliberately unresolvable for tsc, see above
import starlightLinksValidator from 'starlight-links-validator?config';
import starlightLlmsTxt from 'starlight-llms-txt';
import { SITE_ADDRESS, repositoryAddress } from './lib/site-address.ts';
import { tableScroll } from './site/lib/table-scroll.ts';

// "Edit page" links appear only when the repository is known (see lib/site-address.ts).
const repository = repositoryAddress();

export default defineConfig({
  srcDir: './site',
  site: SITE_ADDRESS,
  // Sätteri is Astro's Markdown and MDX processor (the default one, given here to add a plugin;
  // Starlight adds its own to it). tableScroll puts every table of a .md or .mdx page in a
  // focusable scroll region and names its columns for the stacked layout (site/lib/table-scroll.ts).
  markdown: { processor: satteri({ hastPlugins: [tableScroll] }) },
  integrations: [
    starlight({
      title: 'The Migration Handbook',
      description:
        'Moving the Storefront data layer from raw SQL on pg to Kysely, with every sample, number and runbook verified against PostgreSQL.',
      // The date of the last commit that touched the page's source file (git log), under each page.
      lastUpdated: true,
      ...(repository ? { editLink: { baseUrl: `${repository}/edit/main/` } } : {}),
      // A broken internal link or a missing #anchor fails the build; absolute links to this
      // site's own origin are checked too. (Links inside components, e.g. hero actions, are not.)
      // starlight-llms-txt writes /llms.txt, /llms-full.txt and /llms-small.txt: the whole handbook
      // as plain Markdown, for pasting into an AI assistant during troubleshooting.
      plugins: [
        starlightLinksValidator({ sameSitePolicy: 'validate' }),
        starlightLlmsTxt({
          projectName: 'The Migration Handbook',
          description:
            'Moving the Storefront data layer from raw SQL on pg to Kysely on PostgreSQL, and running it in production: guide, training, runbooks and support procedures.',
          promote: ['runbooks/**', 'guide/troubleshooting'],
          // The "scroll sideways" cue that site/lib/table-scroll.ts puts above every table is for
          // screens (aria-hidden), not text.
          customSelectors: { all: ['.table-scroll-cue'] },
          customSets: [
            {
              label: 'Runbooks',
              description: 'What to do when an alert pages you: Meaning, Impact, Diagnosis, Mitigation, and the commands.',
              paths: ['runbooks/**'],
            },
            { label: 'Support', description: 'Severities, escalation, message templates and the incident process.', paths: ['support/**'] },
          ],
        }),
      ],
      // Accessibility fixes to Starlight's chrome, small screens, tables (cards on phones, scroll
      // cues), shell commands that never wrap inside a flag, and print rules for runbooks.
      customCss: [
        './site/styles/accessibility.css',
        './site/styles/small-screens.css',
        './site/styles/tables.css',
        './site/styles/commands.css',
        './site/styles/print.css',
      ],
      // Long lines wrap instead of scrolling: a scrolling <pre> is unreachable by keyboard
      // (axe: scrollable-region-focusable) and makes a phone scroll sideways during an incident.
      // Copy buttons still copy the original lines.
      expressiveCode: { defaultProps: { wrap: true } },
      components: {
        // Adds the build-generated verification badge under the title of pages that show snippets,
        // and names the page's section for search results ("Runbook · Lock contention").
        PageTitle: './site/components/overrides/PageTitle.astro',
        // Keeps inline identifiers and shell flags whole, decides which tables stack as cards at
        // the current width, and puts the on-call box (RunbookBox.astro) at the top of every runbook.
        MarkdownContent: './site/components/overrides/MarkdownContent.astro',
        // The home page opens with the runbooks, by alert, for someone paged on a phone.
        Hero: './site/components/overrides/Hero.astro',
      },
      head: [
        // Code blocks use the dark code theme in dark mode; paper is white, so print in light.
        {
          tag: 'script',
          content:
            "addEventListener('beforeprint',()=>{const r=document.documentElement;r.dataset.printTheme=r.dataset.theme||'';r.dataset.theme='light'});addEventListener('afterprint',()=>{const r=document.documentElement;if(r.dataset.printTheme!==undefined){r.dataset.theme=r.dataset.printTheme;delete r.dataset.printTheme}})",
        },
      ],
      // Every group starts collapsed; Starlight opens the one holding the current page, so on a
      // runbook the runbooks list is all there is and the current entry is on screen.
      sidebar: [
        { label: 'Runbooks', collapsed: true, items: [{ autogenerate: { directory: 'runbooks' } }] },
        { label: 'Guide', collapsed: true, items: [{ autogenerate: { directory: 'guide' } }] },
        { label: 'Training', collapsed: true, items: [{ autogenerate: { directory: 'training' } }] },
        { label: 'Support', collapsed: true, items: [{ autogenerate: { directory: 'support' } }] },
        { label: 'Reference', collapsed: true, items: [{ autogenerate: { directory: 'reference' } }] },
      ],
    }),
  ],
});
