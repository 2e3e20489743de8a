import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Auth, type ConsoleConfig } from './auth';
import './styles.css';

async function start(): Promise<void> {
  const config = (await (await fetch('/console/config.json')).json()) as ConsoleConfig;
  const auth = new Auth(config);
  const returnTo = await auth.completeSignIn().catch(() => '/console/');
  if (returnTo) window.history.replaceState(null, '', returnTo);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App auth={auth} />
    </StrictMode>,
  );
}

void start();
