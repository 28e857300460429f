import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { weakPasswordReason } from "../password-policy.ts";

const account = { username: "ada_l", email: "ada@example.test" };

describe("the password policy (NIST SP 800-63B)", () => {
  it("names the reason for each refused password", () => {
    expect(weakPasswordReason("12345678", account)).toBe("common");
    expect(weakPasswordReason("password", account)).toBe("common");
    expect(weakPasswordReason("Password1!", account)).toBe("common");
    expect(weakPasswordReason("iloveyou", account)).toBe("common");
    expect(weakPasswordReason("        ", account)).toBe("blank");
    expect(weakPasswordReason("\t \u00a0 \u2003  ", account)).toBe("blank");
    expect(weakPasswordReason("zzzzzzzzzz", account)).toBe("repetitive");
    expect(weakPasswordReason("ADA_L", account)).toBe("personal");
    expect(weakPasswordReason("ada@example.test", account)).toBe("personal");
    expect(weakPasswordReason("correct horse battery staple", account)).toBeUndefined();
    expect(weakPasswordReason("analytical engine", account)).toBeUndefined();
  });

  it("sign-up refuses weak passwords with 400 weak_password and a clear message", async () => {
    for (const password of ["12345678", "password", "        ", "qwertyuiop", "Sunshine2024"]) {
      const response = await call("POST", "/api/v1/auth/register", {
        body: { email: `weak${Math.random()}@example.test`, username: `weak_${Date.now() % 1e9}`, password },
      });
      expect(response.status, JSON.stringify(password)).toBe(400);
      const body = await json(response);
      expectErrorEnvelope(body, "weak_password");
      expect(body.error.message.length).toBeGreaterThan(10);
    }
  });

  it("a password change refuses the current password again and common ones", async () => {
    const user = await registerUser();
    const change = (newPassword: string) =>
      call("POST", "/api/v1/auth/password", {
        token: user.token,
        body: { currentPassword: user.password, newPassword },
      });
    const reused = await change(user.password);
    expect(reused.status).toBe(400);
    expect((await json(reused)).error).toMatchObject({ code: "weak_password", details: { reason: "reused" } });
    for (const weak of ["12345678", "password", "        "]) {
      const response = await change(weak);
      expect(response.status).toBe(400);
      expectErrorEnvelope(await json(response), "weak_password");
    }
    // Nothing changed: the old password still signs in.
    const login = await call("POST", "/api/v1/auth/login", { body: { login: user.username, password: user.password } });
    expect(login.status).toBe(200);
  });
});
