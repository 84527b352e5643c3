import { useState } from "react";
import type { FormEvent } from "react";
import { useAuth } from "../auth";
import { usePageTitle } from "../lib/hooks";

export function SignInPage({ notice }: { notice?: string }) {
  const { signIn } = useAuth();
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle("Sign in");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <h1>Sign in to Foyer</h1>
      <p className="lede">Run your organisation&rsquo;s operational workflows, with approvals.</p>
      {notice && !error && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form className="card sign-in__form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            required
            aria-describedby={error ? "api-key-help api-key-error" : "api-key-help"}
            aria-invalid={error ? true : undefined}
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
          <p id="api-key-help" className="help">
            Your key starts with <code>foyer_</code>. It is exchanged for a session cookie and never
            stored by this page.
          </p>
          {error && (
            <p id="api-key-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="button button--primary" disabled={busy || !key.trim()}>
          Sign in
        </button>
      </form>
      <p className="muted small">
        No key? Ask your platform team. On a local <code>make up</code> stack the demo users&rsquo;
        keys are in <code>.foyer/demo-credentials.json</code>.
      </p>
    </div>
  );
}
