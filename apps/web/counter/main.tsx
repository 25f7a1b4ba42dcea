import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../src/counter/App';
import { initCounterI18n } from '../src/counter/i18n';
import '../src/shared/style.css';
import '../src/counter/counter.css';

initCounterI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
