import { useQueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { navigate } from "../lib/router.ts";
import { useSession } from "../stores/session.ts";
import { Link } from "./Link.tsx";

export function Header() {
  const user = useSession((s) => s.user);
  const signedOut = useSession((s) => s.signedOut);
  const queryClient = useQueryClient();

  async function signOut() {
    await api.auth.logout.$post().catch(() => undefined);
    signedOut();
    queryClient.clear();
    navigate("/");
  }

  return (
    <header className="flex items-center gap-6 border-b border-zinc-800 px-6 py-3">
      <Link href="/" className="text-xl font-bold text-white no-underline">
        Veza
      </Link>
      <nav aria-label="Main" className="flex flex-1 items-center gap-4">
        <Link href="/">Home</Link>
        <Link href="/search">Search</Link>
        {user && <Link href="/upload">Upload</Link>}
      </nav>
      {user ? (
        <div className="flex items-center gap-3">
          <Link href={`/u/${user.username}`} aria-label={`Your profile, ${user.displayName}`}>
            {user.displayName}
          </Link>
          <button type="button" onClick={signOut} className="btn">
            Sign out
          </button>
        </div>
      ) : (
        <div className="flex items-center gap-3">
          <Link href="/login">Sign in</Link>
          <Link href="/register" className="btn-primary no-underline">
            Create account
          </Link>
        </div>
      )}
    </header>
  );
}
