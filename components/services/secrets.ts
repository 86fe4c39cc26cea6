/**
 * Secrets never travel as plain environment values: a Deployment's `env` is readable by anyone who
 * can read the Deployment (and lands in the Pulumi state and plans in clear). A setting that looks
 * like a secret, by its name or by its value, is refused; services take secrets by reference from
 * a Kubernetes Secret (`secretEnv`), which the cloud's secret store can fill (External Secrets or
 * the Secrets Store CSI driver's sync).
 */

/** Name words that mark a credential: `DB_PASSWORD`, `STRIPE_API_KEY`, `githubToken`, ... (matched on whole words). */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PWD|SECRET|SECRETS|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIAL|CREDENTIALS|ACCESS_KEY|AUTH_KEY|CLIENT_SECRET|CONNECTION_STRING|CONN_STRING|DSN|SIGNING_KEY|ENCRYPTION_KEY|SESSION_KEY)(_|$)/;

/** `githubToken` and `db.password` as `GITHUB_TOKEN` and `DB_PASSWORD`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[.-]/g, "_").toUpperCase();

/** Value shapes of well-known credentials. */
const SECRET_VALUES: readonly [RegExp, string][] = [
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
    [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
    [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
    [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
    [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}/, "a Stripe key"],
    [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, "a JSON web token"],
    [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with a password in it"],
    [/(^|;)\s*(AccountKey|SharedAccessKey|Password|Pwd)=/i, "a connection string with a key in it"],
];

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
    return bits;
}

/** A long random-looking token (letters and digits, no spaces or path separators), e.g. a generated key. */
function looksRandom(value: string): boolean {
    return value.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 4.2;
}

/** Why a plain `env` entry looks like a secret, or undefined when it does not. */
export function secretLooking(name: string, value: string): string | undefined {
    if (SECRET_NAME.test(words(name))) return `its name marks a secret`;
    for (const [pattern, what] of SECRET_VALUES) if (pattern.test(value)) return `its value looks like ${what}`;
    if (looksRandom(value)) return "its value looks like a generated key (long and random)";
    return undefined;
}
