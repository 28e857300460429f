import { type ComponentType, lazy, type ReactNode } from "react";

/**
 * The app's pages, each loaded on first visit (its own chunk). A feature adds a line here.
 * `render` gets the path's named segments.
 */
export type Route = { path: string; render: (params: Record<string, string>) => ReactNode };

function page<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<any> }));
}

const HomePage = page(() => import("./pages/HomePage.tsx"), "HomePage");
const AuthPage = page(() => import("./pages/AuthPage.tsx"), "AuthPage");
const UploadPage = page(() => import("./pages/UploadPage.tsx"), "UploadPage");
const SearchPage = page(() => import("./pages/SearchPage.tsx"), "SearchPage");
const TrackPage = page(() => import("./pages/TrackPage.tsx"), "TrackPage");
const ProfilePage = page(() => import("./pages/ProfilePage.tsx"), "ProfilePage");
const SettingsPage = page(() => import("./pages/SettingsPage.tsx"), "SettingsPage");
const ChatHomePage = page(() => import("./chat/ChatHomePage.tsx"), "ChatHomePage");
const RoomPage = page(() => import("./chat/RoomPage.tsx"), "RoomPage");
const LibraryPage = page(() => import("./pages/LibraryPage.tsx"), "LibraryPage");
const PlaylistPage = page(() => import("./pages/PlaylistPage.tsx"), "PlaylistPage");
const AlbumsPage = page(() => import("./pages/AlbumsPage.tsx"), "AlbumsPage");
const ArtistsPage = page(() => import("./pages/ArtistsPage.tsx"), "ArtistsPage");
const GenresPage = page(() => import("./pages/GenresPage.tsx"), "GenresPage");
const GenrePage = page(() => import("./pages/GenrePage.tsx"), "GenrePage");
const OfflinePage = page(() => import("./pages/OfflinePage.tsx"), "OfflinePage");
const AlbumPage = page(() => import("./pages/AlbumPage.tsx"), "AlbumPage");
const AdminPage = page(() => import("./pages/AdminPage.tsx"), "AdminPage");
const ConnectedAppsPage = page(() => import("./pages/ConnectedAppsPage.tsx"), "ConnectedAppsPage");
const ProfileSettingsPage = page(() => import("./pages/ProfileSettingsPage.tsx"), "ProfileSettingsPage");
const SessionsPage = page(() => import("./account/SessionsPage.tsx"), "SessionsPage");
const YourDataPage = page(() => import("./account/YourDataPage.tsx"), "YourDataPage");
const LinkedAccountsPage = page(() => import("./account/LinkedAccountsPage.tsx"), "LinkedAccountsPage");
const OAuthCallbackPage = page(() => import("./account/OAuthCallbackPage.tsx"), "OAuthCallbackPage");
const VerifyEmailPage = page(() => import("./account/VerifyEmailPage.tsx"), "VerifyEmailPage");
const ForgotPasswordPage = page(() => import("./account/ForgotPasswordPage.tsx"), "ForgotPasswordPage");
const ResetPasswordPage = page(() => import("./account/ResetPasswordPage.tsx"), "ResetPasswordPage");
const EmailSettingsPage = page(() => import("./account/EmailSettingsPage.tsx"), "EmailSettingsPage");
const DevOutboxPage = page(() => import("./account/DevOutboxPage.tsx"), "DevOutboxPage");
const NotificationSettingsPage = page(() => import("./push/NotificationSettingsPage.tsx"), "NotificationSettingsPage");
const NotificationsPage = page(() => import("./notifications/NotificationsPage.tsx"), "NotificationsPage");
const SecurityPage = page(() => import("./pages/SecurityPage.tsx"), "SecurityPage");
const NotFoundPage = page(() => import("./pages/NotFoundPage.tsx"), "NotFoundPage");

export const ROUTES: Route[] = [
  { path: "/", render: () => <HomePage /> },
  { path: "/login", render: () => <AuthPage mode="login" /> },
  { path: "/register", render: () => <AuthPage mode="register" /> },
  { path: "/upload", render: () => <UploadPage /> },
  { path: "/search", render: () => <SearchPage /> },
  { path: "/settings", render: () => <SettingsPage /> },
  { path: "/library", render: () => <LibraryPage /> },
  { path: "/albums", render: () => <AlbumsPage /> },
  { path: "/albums/:id", render: ({ id }) => <AlbumPage key={id} id={id} /> },
  { path: "/artists", render: () => <ArtistsPage /> },
  { path: "/genres", render: () => <GenresPage /> },
  { path: "/genres/:name", render: ({ name }) => <GenrePage key={name} name={name} /> },
  { path: "/offline", render: () => <OfflinePage /> },
  { path: "/playlists/:id", render: ({ id }) => <PlaylistPage key={id} id={id} /> },
  { path: "/admin", render: () => <AdminPage /> },
  { path: "/settings/apps", render: () => <ConnectedAppsPage /> },
  { path: "/settings/profile", render: () => <ProfileSettingsPage /> },
  { path: "/settings/sessions", render: () => <SessionsPage /> },
  { path: "/settings/data", render: () => <YourDataPage /> },
  { path: "/settings/linked-accounts", render: () => <LinkedAccountsPage /> },
  { path: "/oauth/callback/:provider", render: ({ provider }) => <OAuthCallbackPage provider={provider} /> },
  { path: "/settings/email", render: () => <EmailSettingsPage /> },
  { path: "/verify-email", render: () => <VerifyEmailPage /> },
  { path: "/forgot-password", render: () => <ForgotPasswordPage /> },
  { path: "/reset-password", render: () => <ResetPasswordPage /> },
  { path: "/dev/outbox", render: () => <DevOutboxPage /> },
  { path: "/notifications", render: () => <NotificationsPage /> },
  { path: "/settings/notifications", render: () => <NotificationSettingsPage /> },
  { path: "/settings/security", render: () => <SecurityPage /> },
  { path: "/tracks/:id", render: ({ id }) => <TrackPage key={id} id={id} /> },
  { path: "/chat", render: () => <ChatHomePage /> },
  { path: "/chat/:id", render: ({ id }) => <RoomPage key={id} id={id} /> },
  { path: "/u/:username", render: ({ username }) => <ProfilePage key={username} username={username} /> },
];

export const NOT_FOUND: Route = { path: "*", render: () => <NotFoundPage /> };
