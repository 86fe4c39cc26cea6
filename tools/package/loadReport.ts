/**
 * Preloaded into a process (`node --require`) to record, when it exits, every
 * module file it loaded. The package tests read it to prove that an AWS program
 * never loads `@pulumi/azure-native`, and that a consumer ran the installed
 * package rather than this repository's sources.
 */
import * as fs from "fs";
import * as path from "path";

/** The folder to write `<pid>.json` into; nothing is recorded without it. */
export const LOAD_REPORT_DIR = "INTERGALACTIC_LOAD_REPORT_DIR";

/** The package roots (`.../node_modules/@pulumi/aws`) of the given module files, sorted and unique. */
export function packageRoots(files: Iterable<string>): string[] {
    const roots = new Set<string>();
    for (const file of files) {
        const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
        if (match) roots.add(match[1]);
    }
    return [...roots].sort();
}

const reportDir = process.env[LOAD_REPORT_DIR];
if (reportDir) {
    process.on("exit", () => {
        const files = Object.keys(require.cache);
        // Only the processes that ran Pulumi code matter (not npm or the shell around them).
        if (files.some((f) => /[\\/]@pulumi[\\/]pulumi[\\/]/.test(f))) {
            fs.writeFileSync(path.join(reportDir, `${process.pid}.json`), JSON.stringify(files));
        }
    });
}
