import { randomBytes, verify } from "node:crypto";
import { ApiError } from "./api-error.js";
import type { Account, AppRecord, Installation, Store } from "./store.js";

export type Identity =
  | { kind: "anonymous" }
  | { kind: "app"; app: AppRecord }
  | { kind: "installation"; installation: Installation; app: AppRecord }
  | { kind: "user"; user: Account };

type TokenOwner =
  { kind: "installation"; installationId: number; expiresAt: number } | { kind: "user"; login: string };

/** Installation tokens live an hour, as on GitHub. Real time, so a test that moves the fake's clock keeps them. */
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const badCredentials = () => new ApiError(401, "Bad credentials");

/** Tokens the fake has handed out, and who a request's `authorization` header makes it. */
export class Credentials {
  private readonly tokens = new Map<string, TokenOwner>();

  constructor(private readonly store: Store) {}

  issueInstallationToken(installation: Installation) {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
    this.tokens.set(token, { kind: "installation", installationId: installation.id, expiresAt });
    return { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") };
  }

  /** A personal token: requests made with it act as that person. Stable per login. */
  userToken(login: string): string {
    this.store.user(login);
    const token = `ghp_${Buffer.from(login).toString("hex")}`;
    this.tokens.set(token, { kind: "user", login });
    return token;
  }

  identify(authorization: string | undefined): Identity {
    if (!authorization) return { kind: "anonymous" };
    const [scheme = "", credential = ""] = authorization.trim().split(/\s+/, 2);
    if (!/^(bearer|token)$/i.test(scheme) || credential === "") throw badCredentials();
    if (credential.split(".").length === 3) return { kind: "app", app: this.verifyJwt(credential) };
    const owner = this.tokens.get(credential);
    if (!owner) throw badCredentials();
    if (owner.kind === "user") return { kind: "user", user: this.store.user(owner.login) };
    const installation = this.store.installations.get(owner.installationId);
    const app = installation && this.store.apps.get(installation.appId);
    if (!installation || !app || owner.expiresAt <= Date.now()) throw badCredentials();
    return { kind: "installation", installation, app };
  }

  /** https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app */
  private verifyJwt(jwt: string): AppRecord {
    const [header = "", payload = "", signature = ""] = jwt.split(".");
    let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
    let alg: unknown;
    try {
      alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown }).alg;
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      throw new ApiError(401, "A JSON web token could not be decoded");
    }
    const app = this.store.apps.get(Number(claims.iss));
    if (alg !== "RS256" || !app) throw new ApiError(401, "A JSON web token could not be decoded");
    const signed = Buffer.from(`${header}.${payload}`);
    if (app.publicKey && !verify("RSA-SHA256", signed, app.publicKey, Buffer.from(signature, "base64url")))
      throw new ApiError(401, "A JSON web token could not be decoded");
    const nowSeconds = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp < nowSeconds || claims.exp - nowSeconds > 600)
      throw new ApiError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    return app;
  }
}
