import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layer rules of app/ (README "Architecture"): which app folders and packages each layer may not
 * import. Relative imports are matched by the folder they reach (`../storage/x`, `../../storage/x`).
 * `app/shared/` (dependency-free utilities) may be imported from anywhere.
 */
const APP_FOLDERS = [
  'backup',
  'contracts',
  'discord',
  'domain',
  'metrics',
  'notifier',
  'observability',
  'services',
  'storage',
];
const APP_ENTRY_FILES = ['config', 'main', 'backup-main'];
const SDK_PACKAGES = [
  'discord.js',
  '@discordjs/*',
  'mongodb',
  'bson',
  '@aws-sdk/*',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
];

/** One restricted-import pattern for each app folder or entry file in `names`. */
function appLayers(names, why) {
  return names.map((name) => ({
    regex: `^(\\.\\./)+${name}(/|$)`,
    message: why,
  }));
}

function layerRule(folder, { layers = [], packages = [], why }) {
  return {
    files: [`app/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: packages.filter((p) => !p.includes('*')).map((name) => ({ name, message: why })),
          patterns: [
            ...appLayers(layers, why),
            ...packages.filter((p) => p.includes('*')).map((p) => ({ group: [p], message: why })),
          ],
        },
      ],
    },
  };
}

const LAYER_RULES = [
  layerRule('domain', {
    layers: [...APP_FOLDERS.filter((f) => f !== 'domain'), ...APP_ENTRY_FILES],
    packages: [...SDK_PACKAGES, 'pino'],
    why: 'app/domain is pure: no other app layer, no Discord, MongoDB or AWS (README "Architecture").',
  }),
  layerRule('shared', {
    layers: [...APP_FOLDERS, ...APP_ENTRY_FILES],
    packages: [...SDK_PACKAGES, 'pino'],
    why: 'app/shared holds dependency-free utilities: it imports no app layer and no SDK.',
  }),
  layerRule('contracts', {
    layers: [...APP_FOLDERS.filter((f) => f !== 'contracts'), ...APP_ENTRY_FILES],
    packages: SDK_PACKAGES,
    why: 'app/contracts holds names shared by the bot and the infrastructure: it imports no app layer.',
  }),
  layerRule('storage', {
    layers: ['services', 'discord', 'metrics', 'main'],
    packages: ['discord.js', '@discordjs/*'],
    why: 'app/storage sits below the use cases: it does not import services, discord or metrics.',
  }),
  layerRule('services', {
    layers: ['discord', 'main'],
    packages: ['discord.js', '@discordjs/*'],
    why: 'app/services are the use cases: they do not import the Discord adapter.',
  }),
  layerRule('discord', {
    layers: ['storage', 'main'],
    packages: ['mongodb', 'bson'],
    why: 'app/discord reaches data only through app/services: no app/storage, no MongoDB.',
  }),
  layerRule('metrics', {
    layers: ['discord', 'storage', 'services', 'main'],
    packages: ['mongodb'],
    why: 'app/metrics does not import the Discord adapter or the data layers (shared types are in app/contracts).',
  }),
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', 'coverage/', '.cache/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  ...LAYER_RULES,
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
