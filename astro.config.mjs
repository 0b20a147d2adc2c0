// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
// starlight-links-validator ships its TypeScript sources, which do not type-check against
// Astro 7's types, and tsc checks .ts files under node_modules even with skipLibCheck. The query
// string hides the module from tsc (it cannot resolve it); Vite, which loads this config,
// resolves it as usual.
// @ts-expect-error -- deliberately unresolvable for tsc, see above
import starlightLinksValidator from 'starlight-links-validator?config';

export default defineConfig({
  srcDir: './site',
  site: 'https://handbook.storefront.example',
  integrations: [
    starlight({
      title: 'The Migration Handbook',
      description: 'Moving the Storefront data layer from raw SQL on pg to Kysely, with every sample, number and runbook verified against PostgreSQL.',
      lastUpdated: false,
      // A broken internal link or a missing #anchor fails the build; absolute links to this
      // site's own origin are checked too. (Links inside components, e.g. hero actions, are not.)
      plugins: [starlightLinksValidator({ sameSitePolicy: 'validate' })],
      // Accessibility fixes to Starlight's chrome, small screens, and print rules for runbooks.
      customCss: ['./site/styles/accessibility.css', './site/styles/small-screens.css', './site/styles/print.css'],
      // Long lines wrap instead of scrolling: a scrolling <pre> is unreachable by keyboard
      // (axe: scrollable-region-focusable) and makes a phone scroll sideways during an incident.
      // Copy buttons still copy the original lines.
      expressiveCode: { defaultProps: { wrap: true } },
      components: {
        // Adds the build-generated verification badge under the title of pages that show snippets.
        PageTitle: './site/components/overrides/PageTitle.astro',
        // Puts tables in a focusable scroll container, so wide tables stay reachable by keyboard.
        MarkdownContent: './site/components/overrides/MarkdownContent.astro',
      },
      head: [
        // Code blocks use the dark code theme in dark mode; paper is white, so print in light.
        {
          tag: 'script',
          content:
            "addEventListener('beforeprint',()=>{const r=document.documentElement;r.dataset.printTheme=r.dataset.theme||'';r.dataset.theme='light'});addEventListener('afterprint',()=>{const r=document.documentElement;if(r.dataset.printTheme!==undefined){r.dataset.theme=r.dataset.printTheme;delete r.dataset.printTheme}})",
        },
      ],
      sidebar: [
        { label: 'Guide', items: [{ autogenerate: { directory: 'guide' } }] },
        { label: 'Training', items: [{ autogenerate: { directory: 'training' } }] },
        { label: 'Runbooks', items: [{ autogenerate: { directory: 'runbooks' } }] },
        { label: 'Support', items: [{ autogenerate: { directory: 'support' } }] },
        { label: 'Reference', items: [{ autogenerate: { directory: 'reference' } }] },
      ],
    }),
  ],
});
