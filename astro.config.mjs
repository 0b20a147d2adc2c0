// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  srcDir: './site',
  site: 'https://handbook.storefront.example',
  integrations: [
    starlight({
      title: 'The Migration Handbook',
      description: 'Moving the Storefront data layer from raw SQL on pg to Kysely, with every sample, number and runbook verified against PostgreSQL.',
      lastUpdated: false,
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
