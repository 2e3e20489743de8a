import { createContext, useContext } from 'react';
import type { Api, ApiAuth } from './api';
import type { Session } from './auth';

export interface AppContext {
  api: Api;
  apiAuth: ApiAuth;
  session: Session;
}

export const ConsoleContext = createContext<AppContext | undefined>(undefined);

export function useConsole(): AppContext {
  const context = useContext(ConsoleContext);
  if (!context) throw new Error('useConsole outside a signed-in console');
  return context;
}
