import { Suspense, useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router-dom";
import { ApiError, api } from "../api/client";
import { useAuth } from "../auth";
import { APPROVALS_CHANGED } from "../lib/hooks";
import { SignInPage } from "../pages/SignInPage";

const COUNT_INTERVAL_MS = 20_000;

/** How many runs wait for the user's decision; null when unknown. */
function useApprovalsCount(active: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const location = useLocation();
  useEffect(() => {
    if (!active) return;
    let live = true;
    const refresh = () =>
      api.approvalsCount().then(
        (body) => live && setCount(body.count),
        (err: unknown) => live && err instanceof ApiError && err.status === 404 && setCount(null),
      );
    refresh();
    const timer = setInterval(refresh, COUNT_INTERVAL_MS);
    window.addEventListener(APPROVALS_CHANGED, refresh);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(APPROVALS_CHANGED, refresh);
    };
  }, [active, location.pathname]);
  return count;
}

function SignOutButton() {
  const { signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button--quiet"
        onClick={() => signOut().catch((err: Error) => setError(err.message))}
      >
        Sign out
      </button>
      {error && (
        <span role="alert" className="header__error">
          {error}
        </span>
      )}
    </>
  );
}

export function Layout() {
  const { state, retry } = useAuth();
  const signedIn = state.status === "signed-in";
  const count = useApprovalsCount(signedIn);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the new page on navigation, as a full page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  let content;
  if (state.status === "loading") {
    content = <p className="muted">Loading…</p>;
  } else if (state.status === "unreachable") {
    content = (
      <div className="notice notice--error" role="alert">
        <p>The gateway did not answer: {state.message}</p>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  } else if (state.status === "signed-out") {
    content = <SignInPage notice={state.notice} />;
  } else {
    content = (
      <>
        {state.notice && (
          <p className="notice" role="status">
            {state.notice}
          </p>
        )}
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Outlet />
        </Suspense>
      </>
    );
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header__inner">
          <Link to="/" className="brand" aria-label="Foyer home">
            <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
              <rect width="32" height="32" rx="7" fill="#f4c95d" />
              <path d="M9 25V7h14v4h-9v4h8v4h-8v6z" fill="#1f3a5f" />
            </svg>
            <span>Foyer</span>
          </Link>
          {signedIn && (
            <nav aria-label="Main" className="nav">
              <NavLink to="/" end>
                Catalog
              </NavLink>
              <NavLink to="/runs">Runs</NavLink>
              <NavLink to="/approvals">
                Approvals
                {count !== null && count > 0 && (
                  <span className="badge badge--count">
                    {count}
                    <span className="visually-hidden"> waiting for you</span>
                  </span>
                )}
              </NavLink>
            </nav>
          )}
          {signedIn && (
            <div className="header__user">
              <span className="header__who">
                Signed in as <strong>{state.me.name || state.me.subject}</strong>
              </span>
              <SignOutButton />
            </div>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="main">
        {content}
      </main>
    </>
  );
}
