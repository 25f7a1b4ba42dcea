import { createContext, useContext } from 'react';

/** What `POST /staff/session` and `GET /staff/session` answer. */
export interface Session {
  staff: { id: string; username: string; displayName: string; role: 'clerk' | 'officer' | 'auditor' };
  agency: { id: string; did: string; nameZh: string; nameEn: string; credentialTypes: string[] };
  csrfToken: string;
  expiresAt: string;
}

export interface SessionContextValue {
  session: Session;
  /** Called when the server says the session ended: back to the sign-in page. */
  expired(): void;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

/** The pages each role uses (the server enforces the same roles). */
export const PAGES_BY_ROLE: Record<Session['staff']['role'], Array<'issue' | 'bulk' | 'records' | 'audit'>> = {
  clerk: ['issue', 'bulk', 'records'],
  officer: ['records'],
  auditor: ['records', 'audit'],
};
