import { useEffect } from "react";
import { useLocale } from "./i18n/i18n.ts";
import { useRestoreSession } from "./lib/useRestoreSession.ts";
import { AppShell } from "./shell/AppShell.tsx";

export function App() {
  useRestoreSession();
  const locale = useLocale();
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <AppShell />;
}
