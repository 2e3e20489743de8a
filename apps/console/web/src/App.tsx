import { useEffect, useMemo, useRef, useState } from 'react';
import { createApi, type ApiAuth } from './api';
import type { Auth, Session } from './auth';
import { ConsoleContext } from './context';
import { I18nContext, translator, type Language } from './i18n';
import { BASE, navigate, useLocation } from './router';
import { ApplicationView } from './views/ApplicationView';
import { CitizenView } from './views/CitizenView';
import { CounterView } from './views/CounterView';
import { FileApplicationView } from './views/FileApplicationView';
import { SupervisorView } from './views/SupervisorView';

const LANGUAGE_KEY = 'simpul-console-language';

function isOfficer(session: Session): boolean {
  return session.roles.includes('officer') || session.roles.includes('supervisor');
}

export function App({ auth }: { auth: Auth }) {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'id'));
  const i18n = useMemo(() => translator(language), [language]);
  const [session, setSession] = useState<Session | undefined | null>(null);
  const sessionRef = useRef<Session | undefined>(undefined);
  const location = useLocation();

  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language]);

  useEffect(() => {
    void auth.session().then((s) => {
      sessionRef.current = s;
      setSession(s);
    });
    return auth.onChange((s) => {
      sessionRef.current = s;
      setSession(s);
    });
  }, [auth]);

  const apiAuth = useMemo<ApiAuth>(
    () => ({
      token: () => sessionRef.current?.accessToken,
      renew: async () => {
        const renewed = await auth.renewOrSignIn();
        sessionRef.current = renewed;
        if (renewed) setSession(renewed);
        return renewed?.accessToken;
      },
    }),
    [auth],
  );
  const api = useMemo(() => createApi(apiAuth), [apiAuth]);

  let main;
  if (session === null) {
    main = <p>{i18n.t('loading')}</p>;
  } else if (!session) {
    main = (
      <section className="card sign-in" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{i18n.t('appName')}</h1>
        <p>{i18n.t('signInPrompt')}</p>
        <button type="button" className="primary" onClick={() => void auth.signIn()}>
          {i18n.t('signIn')}
        </button>
      </section>
    );
  } else {
    main = <ConsoleContext.Provider value={{ api, apiAuth, session }}>{screen(location.path, session)}</ConsoleContext.Provider>;
  }

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main">
        {i18n.t('skipToContent')}
      </a>
      <header className="top">
        <a className="brand" href={BASE} onClick={(e) => { e.preventDefault(); navigate(BASE); }}>
          {i18n.t('appName')}
        </a>
        {session && (
          <nav aria-label={i18n.t('appName')}>
            {isOfficer(session) && <NavLink to="loket" label={i18n.t('navCounter')} current={location.path} />}
            {isOfficer(session) && <NavLink to="permohonan/baru" label={i18n.t('navFile')} current={location.path} />}
            {session.roles.includes('supervisor') && <NavLink to="supervisor" label={i18n.t('navSupervisor')} current={location.path} />}
            {session.roles.includes('citizen') && <NavLink to="warga" label={i18n.t('navCitizen')} current={location.path} />}
          </nav>
        )}
        <div className="tools">
          <button type="button" lang={language === 'id' ? 'en' : 'id'} onClick={() => setLanguage(language === 'id' ? 'en' : 'id')}>
            {i18n.t('switchLanguage')}
          </button>
          {session && (
            <>
              <span className="who">
                {i18n.t('signedInAs')} <strong>{session.username}</strong>
              </span>
              <button type="button" onClick={() => void auth.signOut()}>
                {i18n.t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </I18nContext.Provider>
  );
}

function NavLink({ to, label, current }: { to: string; label: string; current: string }) {
  const active = current === to;
  return (
    <a href={`${BASE}${to}`} aria-current={active ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(to); }}>
      {label}
    </a>
  );
}

function screen(path: string, session: Session) {
  const applicationMatch = /^permohonan\/([0-9a-f-]{36})$/.exec(path);
  if (applicationMatch) return <ApplicationView id={applicationMatch[1]!} />;
  if (path === 'permohonan/baru') return <FileApplicationView />;
  if (path === 'loket') return <CounterView />;
  if (path === 'supervisor') return <SupervisorView />;
  if (path === 'warga') return <CitizenView />;
  // Home: the screen of the role.
  return session.roles.includes('citizen') && !isOfficer(session) ? <CitizenView /> : <CounterView />;
}
