import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { initI18n } from '../src/shared/i18n';
import { App } from '../src/wallet/App';
import { addWalletTexts } from '../src/wallet/i18n';
import '../src/shared/style.css';
import '../src/wallet/wallet.css';

addWalletTexts(initI18n());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename="/wallet">
      <App />
    </BrowserRouter>
  </StrictMode>,
);
