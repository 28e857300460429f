import { Header } from "./components/Header.tsx";
import { PlayerBar } from "./components/PlayerBar.tsx";
import { matchPath, useLocation } from "./lib/router.ts";
import { useRestoreSession } from "./lib/useRestoreSession.ts";
import { AuthPage } from "./pages/AuthPage.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { ProfilePage } from "./pages/ProfilePage.tsx";
import { SearchPage } from "./pages/SearchPage.tsx";
import { TrackPage } from "./pages/TrackPage.tsx";
import { UploadPage } from "./pages/UploadPage.tsx";
import { useSession } from "./stores/session.ts";

function CurrentPage() {
  const { pathname } = useLocation();
  if (matchPath("/login", pathname)) return <AuthPage mode="login" />;
  if (matchPath("/register", pathname)) return <AuthPage mode="register" />;
  if (matchPath("/", pathname)) return <HomePage />;
  if (matchPath("/upload", pathname)) return <UploadPage />;
  if (matchPath("/search", pathname)) return <SearchPage />;
  const track = matchPath("/tracks/:id", pathname);
  if (track?.id) return <TrackPage key={track.id} id={track.id} />;
  const profile = matchPath("/u/:username", pathname);
  if (profile?.username) return <ProfilePage key={profile.username} username={profile.username} />;
  return (
    <section className="py-10">
      <h1 className="text-2xl font-bold">Page not found</h1>
    </section>
  );
}

export function App() {
  useRestoreSession();
  const restored = useSession((s) => s.restored);
  return (
    <div className="flex min-h-screen flex-col bg-zinc-950 text-zinc-100">
      <a href="#main" className="sr-only focus:not-sr-only">
        Skip to content
      </a>
      <Header />
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-6" aria-busy={!restored}>
        <CurrentPage />
      </main>
      <PlayerBar />
    </div>
  );
}
