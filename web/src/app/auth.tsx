// Who is signed in. Asks GET /me once at start; any 401 from any call signs the user out locally.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, api, setUnauthorizedHandler } from './api.ts';
import type { User } from './api.ts';

type AuthState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; user: User };

interface AuthContextValue {
  state: AuthState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Replace the cached user after a profile change. */
  updateUser(user: User): void;
  retry(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setState((prev) => (prev.status === 'signed-in' ? { status: 'signed-out', expired: true } : prev));
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ user: User }>('/me', { ignoreUnauthorized: true, signal: controller.signal })
      .then(({ user }) => setState({ status: 'signed-in', user }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out', expired: false });
        else if (error instanceof ApiError) setState({ status: 'error', error });
        else setState({ status: 'error', error: new ApiError(0, 'UNKNOWN', String(error)) });
      });
    return () => controller.abort();
  }, [attempt]);

  const signIn = useCallback(async (email: string, password: string) => {
    const { user } = await api.post<{ user: User }>('/auth/login', { email, password }, { ignoreUnauthorized: true });
    setState({ status: 'signed-in', user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post<void>('/auth/logout', undefined, { ignoreUnauthorized: true });
    } catch (error) {
      // A 401 means the session was already gone, which is what we wanted.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setState({ status: 'signed-out', expired: false });
  }, []);

  const updateUser = useCallback((user: User) => {
    setState((prev) => (prev.status === 'signed-in' ? { status: 'signed-in', user } : prev));
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, updateUser, retry }), [state, signIn, signOut, updateUser, retry]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only valid inside the signed-in part of the app. */
export function useCurrentUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useCurrentUser called while nobody is signed in');
  return state.user;
}

export function canEdit(user: User): boolean {
  return user.role !== 'observer';
}
