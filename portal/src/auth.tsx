/** Who is signed in. The session is an HttpOnly cookie the page never sees: it asks
 * `/api/me`, and a 401 anywhere means signed out (sign-in is automatic behind SSO). */

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, onUnauthenticated } from "./api/client";
import type { Me } from "./api/types";
import { loadMe } from "./lib/prefetch";

export type AuthState =
  | { status: "loading" }
  | { status: "signed-out"; notice?: string }
  | { status: "unreachable"; message: string }
  | { status: "signed-in"; me: Me; notice?: string };

interface AuthContextValue {
  state: AuthState;
  signIn: (apiKey: string) => Promise<void>;
  signOut: () => Promise<void>;
  retry: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "loading" });

  const load = useCallback(() => {
    loadMe().then(
      (me) => setState({ status: "signed-in", me }),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setState({ status: "signed-out" });
        else setState({ status: "unreachable", message: (err as Error).message });
      },
    );
  }, []);

  useEffect(() => {
    load();
    onUnauthenticated(() =>
      setState((current) =>
        current.status === "signed-in"
          ? { status: "signed-out", notice: "Your session has ended; sign in again." }
          : current,
      ),
    );
    return () => onUnauthenticated(null);
  }, [load]);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      signIn: async (apiKey: string) => {
        const me = await api.signIn(apiKey);
        setState({ status: "signed-in", me });
      },
      signOut: async () => {
        await api.signOut();
        // Behind a single sign-on proxy the gateway still knows the user without a session.
        const still = await api.me().catch(() => null);
        setState(
          still
            ? {
                status: "signed-in",
                me: still,
                notice:
                  "You are signed in through your organisation's single sign-on; sign out there to leave.",
              }
            : { status: "signed-out", notice: "You have signed out." },
        );
      },
      retry: () => {
        setState({ status: "loading" });
        load();
      },
    }),
    [state, load],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === null) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** The signed-in user; only for pages rendered behind the sign-in gate. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== "signed-in") throw new Error("useMe while signed out");
  return state.me;
}
