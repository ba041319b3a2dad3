import { Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import SignInPage from '../session/SignInPage';
import { AppLayout, HomeRedirect, RouteGuard } from './AppLayout';
import { NotFoundPage } from './errors/NotFoundPage';
import { PageSpinner } from './PageSpinner';
import { ROUTES } from './routes';

export const router = createBrowserRouter([
  { path: '/', element: <Navigate to="/app" replace /> },
  { path: '/app/sign-in', element: <SignInPage /> },
  {
    path: '/app',
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRedirect /> },
      ...ROUTES.map((route) => ({
        path: route.path,
        element: (
          <RouteGuard roles={route.roles}>
            <Suspense fallback={<PageSpinner />}>
              <route.page />
            </Suspense>
          </RouteGuard>
        ),
      })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
