import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { initI18n } from '../src/shared/i18n';
import { App } from '../src/portal/App';
import '../src/shared/style.css';

initI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename="/portal">
      <App />
    </BrowserRouter>
  </StrictMode>,
);
