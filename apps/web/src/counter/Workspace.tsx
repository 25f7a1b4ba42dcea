import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterHistoryEntry, CounterOptions, CreatedCounterCheck } from '../../../verifier/src/counter/dto/counter.dto';
import { api } from '../shared/api';
import { CheckPanel } from './CheckPanel';
import { CheckPicker } from './CheckPicker';
import { History } from './History';
import { counterErrorKey, sessionEnded } from './i18n';

/** A signed-in clerk's page: choose a check, show its QR code and live result, and the clerk's history. */
export function Workspace({ expired }: { expired(): void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<CounterOptions>();
  const [active, setActive] = useState<CreatedCounterCheck>();
  const [history, setHistory] = useState<CounterHistoryEntry[]>([]);
  const [error, setError] = useState<string>();

  const fail = useCallback(
    (e: unknown) => {
      if (sessionEnded(e)) expired();
      else setError(counterErrorKey(e));
    },
    [expired],
  );
  const loadHistory = useCallback(() => {
    api<CounterHistoryEntry[]>('GET', '/counter/history').then(setHistory, fail);
  }, [fail]);

  useEffect(() => {
    api<CounterOptions>('GET', '/counter/options').then(setOptions, fail);
    loadHistory();
  }, [fail, loadHistory]);

  const created = useCallback(
    (check: CreatedCounterCheck) => {
      setActive(check);
      loadHistory();
    },
    [loadHistory],
  );

  return (
    <>
      {error && (
        <p className="alert" role="alert">
          {t(error)}
        </p>
      )}
      <div className="counter-grid">
        {options && !active && <CheckPicker options={options} onCreated={created} expired={expired} />}
        {active && <CheckPanel created={active} onFinal={loadHistory} onNew={() => setActive(undefined)} />}
        <History entries={history} />
      </div>
    </>
  );
}
