/**
 * The CDK peer: an AWS CDK v2 app of the same platform (VPC over 3 AZs, bastion,
 * ElastiCache, DocumentDB, MSK, EKS and N services), which synthesises offline as this
 * project plans offline. It is not part of this repository: the bench copies it to a
 * temporary folder, installs it with its own lockfile (`npm ci`) and compiles it once
 * (`tsc`), and reuses that copy while the peer's sources stay the same.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where the peer is looked for when `--peer` is not given: next to this repository. */
export const DEFAULT_PEER_DIR = path.resolve(__dirname, "../../../shared/peers/cdk");

/** The CDK synth profiles the issue compares with (the peer's SYNTH_PROFILE). */
export type SynthProfile = "lean" | "default";

export interface InstalledPeer {
    /** The installed, compiled copy. */
    readonly dir: string;
    readonly cdkVersion: string;
}

/** Every file of the peer that decides what gets installed and built, in a stable order. */
function peerSources(dir: string): string[] {
    const walk = (rel: string): string[] => fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
        const file = path.join(rel, e.name);
        if (e.isDirectory()) return e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".") ? [] : walk(file);
        return [file];
    });
    return walk("").sort();
}

function run(command: string, args: string[], cwd: string): void {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.stderr || result.stdout || result.error?.message}`);
}

/**
 * Installs the peer found at `source` into a temporary folder keyed on the peer's content, or
 * returns undefined when there is no peer there (a clone without it measures only this project).
 */
export function installPeer(source: string, log: (line: string) => void): InstalledPeer | undefined {
    if (!fs.existsSync(path.join(source, "package.json")) || !fs.existsSync(path.join(source, "package-lock.json"))) return undefined;
    const hash = createHash("sha256");
    for (const file of peerSources(source)) hash.update(file).update("\0").update(fs.readFileSync(path.join(source, file))).update("\0");
    const dir = path.join(os.tmpdir(), `intergalactic-cdk-peer-${hash.digest("hex").slice(0, 16)}`);
    const ready = path.join(dir, ".installed");
    if (!fs.existsSync(ready)) {
        log(`  installing the CDK peer into ${dir} (npm ci, tsc; once per peer version)`);
        fs.rmSync(dir, { recursive: true, force: true });
        for (const file of peerSources(source)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.copyFileSync(path.join(source, file), path.join(dir, file));
        }
        run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], dir);
        run(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "."], dir);
        fs.writeFileSync(ready, new Date().toISOString());
    }
    const cdkVersion = (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "aws-cdk-lib", "package.json"), "utf8")) as { version: string }).version;
    return { dir, cdkVersion };
}
