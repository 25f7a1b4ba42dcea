import { ISSUER_CONFIG_SCHEMA } from '../../apps/issuer/src/config/issuer.config.js';
import { VERIFIER_CONFIG_SCHEMA } from '../../apps/verifier/src/config/verifier.config.js';

/** The part of a config schema the tables are made of. */
interface SettingSchema {
  type: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

interface ConfigSchema {
  properties: object;
  required?: readonly string[];
}

/** The generated blocks of README.md: each between `<!-- BEGIN generated:<name> … -->` and `<!-- END generated:<name> -->`. */
export const SETTINGS_BLOCKS: ReadonlyArray<{ name: string; schema: ConfigSchema }> = [
  { name: 'issuer-settings', schema: ISSUER_CONFIG_SCHEMA as unknown as ConfigSchema },
  { name: 'verifier-settings', schema: VERIFIER_CONFIG_SCHEMA as unknown as ConfigSchema },
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(setting: SettingSchema): string {
  if (setting.enum) return setting.enum.map((v) => `\`${String(v)}\``).join(' or ');
  if (setting.type === 'integer' && setting.minimum !== undefined && setting.maximum !== undefined) return `integer ${setting.minimum}–${setting.maximum}`;
  if (setting.type === 'integer' && setting.minimum !== undefined) return `integer ≥ ${setting.minimum}`;
  return setting.type;
}

function defaultOf(name: string, setting: SettingSchema, required: readonly string[]): string {
  if (setting.default !== undefined) return `\`${String(setting.default)}\``;
  return required.includes(name) ? '**required**' : 'unset';
}

/** A Markdown table of every setting of `schema`, in the schema's order. */
export function settingsTable(schema: ConfigSchema): string {
  const required = schema.required ?? [];
  const rows = Object.entries(schema.properties as Record<string, SettingSchema>).map(
    ([name, setting]) => `| \`${name}\` | ${cell(typeOf(setting))} | ${cell(defaultOf(name, setting, required))} | ${cell(setting.description ?? '')} |`,
  );
  return ['| setting | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** README with every generated block rewritten from the schemas; throws when a block's markers are missing. */
export function renderSettingsDoc(readme: string): string {
  let text = readme;
  for (const { name, schema } of SETTINGS_BLOCKS) {
    const begin = `<!-- BEGIN generated:${name} (npm run settings-doc; edit the config schema, not this table) -->`;
    const end = `<!-- END generated:${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers of ${name}: ${begin} … ${end}`);
    text = `${text.slice(0, from + begin.length)}\n${settingsTable(schema)}\n${text.slice(to)}`;
  }
  return text;
}
