import type { Permission } from '@crm/domain/browser';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { sessionToken } from '../../lib/session-token.ts';
import { useNavigate } from 'react-router';
import { acceptGrant, refreshAccessToken, useTRPC } from '../../trpc.ts';

/** Whether a session exists (an access token in memory), restored from the cookie at start. */
function useSessionState() {
  const [token, setToken] = useState(sessionToken.get());
  const [restoring, setRestoring] = useState(true);
  useEffect(() => sessionToken.subscribe(setToken), []);
  useEffect(() => {
    void refreshAccessToken().finally(() => setRestoring(false));
  }, []);
  return { signedIn: token !== null, restoring };
}

const SessionContext = createContext<{ signedIn: boolean; restoring: boolean }>({ signedIn: false, restoring: true });

export function SessionProvider({ children }: { children: ReactNode }) {
  const state = useSessionState();
  const queryClient = useQueryClient();
  // A new session (login, switch, logout) must not show the previous one's data.
  useEffect(() => sessionToken.subscribe(() => void queryClient.invalidateQueries()), [queryClient]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** The signed-in user and what they may do in the active organisation. */
export function useMe() {
  const trpc = useTRPC();
  const { signedIn } = useSession();
  return useQuery({ ...trpc.auth.me.queryOptions(), enabled: signedIn, staleTime: 60_000 });
}

/** Whether the member may do `permission` (typed: a misspelt permission does not compile). */
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data?.permissions.includes(permission) ?? false;
}

/** What a page does with a new session (sign-up, login, accepted invitation): keep it, go home. */
export function useOpenSession() {
  const navigate = useNavigate();
  return (grant: { accessToken: string; accessTokenExpiresAt: string }) => {
    acceptGrant(grant);
    void navigate('/');
  };
}
