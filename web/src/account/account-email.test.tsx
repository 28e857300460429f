import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SelfUser } from "../../../workers/api-types.ts";
import { useSession } from "../stores/session.ts";
import { withQueryClient } from "../test/fixtures.tsx";
import { ResetPasswordPage } from "./ResetPasswordPage.tsx";
import { VerifyEmailBanner } from "./VerifyEmailBanner.tsx";

const user = (emailVerified: boolean): SelfUser => ({
  id: "u1",
  email: "ada@example.test",
  username: "ada",
  displayName: "Ada",
  role: "listener",
  bio: "",
  avatarUrl: null,
  createdAt: new Date(0).toISOString(),
  emailVerified,
});

afterEach(() => {
  cleanup();
  act(() => useSession.getState().signedOut());
  vi.unstubAllGlobals();
});

describe("the verify-email banner", () => {
  it("tells an unverified user what is blocked and offers a new link; a verified user sees nothing", () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(null, { status: 404 })),
    );
    act(() => useSession.getState().signedIn(user(false), "token"));
    const { unmount } = render(withQueryClient(<VerifyEmailBanner />));
    const banner = screen.getByRole("region", { name: "Confirm your email address" });
    expect(banner.textContent).toContain("We sent a link to ada@example.test");
    expect(screen.getByRole("button", { name: "Send a new link" })).toBeTruthy();
    unmount();

    act(() => useSession.getState().signedIn(user(true), "token"));
    render(withQueryClient(<VerifyEmailBanner />));
    expect(screen.queryByRole("region", { name: "Confirm your email address" })).toBeNull();
  });
});

describe("the set-new-password page", () => {
  it("says when the two passwords differ, without sending anything", () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    window.history.pushState(null, "", "/reset-password?token=abc");
    render(withQueryClient(<ResetPasswordPage />));
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "first passphrase" } });
    fireEvent.change(screen.getByLabelText("New password again"), { target: { value: "second passphrase" } });
    fireEvent.submit(screen.getByRole("button", { name: "Save the new password" }));
    expect(screen.getByRole("alert").textContent).toContain("The two passwords are not the same.");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("explains a link without a token", () => {
    window.history.pushState(null, "", "/reset-password");
    render(withQueryClient(<ResetPasswordPage />));
    expect(screen.getByRole("alert").textContent).toContain("This link is incomplete.");
  });
});
