import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ConfirmProvider } from './components/confirm-dialog.tsx';
import { SessionProvider } from './features/auth/session.tsx';
import { AppRoutes } from './routes/app-routes.tsx';
import { TRPCProvider, trpcClient } from './trpc.ts';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => count < 2 && !('data' in error && (error.data as { httpStatus?: number })?.httpStatus), refetchOnWindowFocus: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <ConfirmProvider>
              <AppRoutes />
            </ConfirmProvider>
          </SessionProvider>
        </BrowserRouter>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
