import { useEffect, useState } from 'react';
import { valueLabel } from '../../../../libs/credentials/src/catalog/definition.js';
import { api } from '../shared/api';
import type { PropertySchema } from './schema-form';

/** A credential type as `GET /credential-types/:type` answers it. */
export interface CredentialTypeView {
  type: string;
  labels: Record<'zh-CN' | 'en', { name: string; description: string; fields: Record<string, string>; values?: Record<string, Record<string, string>> }>;
  schema: { properties?: Record<string, PropertySchema>; required?: string[] };
  /** A property title: transferred and mortgaged, with two more states. */
  titleChain?: true;
}

/** A format an offer can be made in (`GET /oid4vci/formats`). */
export interface OfferFormat {
  id: string;
  labels: Record<'zh-CN' | 'en', string>;
}

const types = new Map<string, Promise<CredentialTypeView>>();

export function loadType(type: string): Promise<CredentialTypeView> {
  let found = types.get(type);
  if (!found) {
    found = api<CredentialTypeView>('GET', `/credential-types/${encodeURIComponent(type)}`);
    found.catch(() => types.delete(type));
    types.set(type, found);
  }
  return found;
}

/** The catalog entries of `names` (the agency's types), loaded once per page. */
export function useTypes(names: string[]): CredentialTypeView[] | undefined {
  const [loaded, setLoaded] = useState<CredentialTypeView[]>();
  const key = names.join(',');
  useEffect(() => {
    let live = true;
    Promise.all(names.map(loadType)).then((views) => live && setLoaded(views), () => live && setLoaded([]));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return loaded;
}

/** The words for a coded value of `field` (`本科` for `bachelor`) in the page's language; the value itself when there are none. */
export function optionLabel(view: CredentialTypeView | undefined, language: string, field: string, value: string): string {
  return valueLabel(view, language === 'en' ? 'en' : 'zh-CN', field, value) ?? value;
}

/** The label of a field or type in the page's language. */
export function label(view: CredentialTypeView | undefined, language: string, field?: string): string {
  const labels = view?.labels[language === 'en' ? 'en' : 'zh-CN'];
  if (!labels) return field ?? view?.type ?? '';
  return field ? (labels.fields[field] ?? field) : labels.name;
}
