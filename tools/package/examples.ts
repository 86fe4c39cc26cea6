/**
 * `npm run examples`: builds the package, packs it and installs the tarball into every example
 * project under `examples/`, the way a consumer gets it. The examples depend on
 * `file:../.packed/intergalactic-infra.tgz`, which only this (or `npm test`) makes, so a fresh
 * clone runs it once before using an example. Steps whose inputs are unchanged are skipped.
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT, diskUsageBytes, installInto, preparePackage } from "./build";

export const EXAMPLES_HELP = `usage: npm run examples [-- --help]

Builds the package (dist/), packs it into examples/.packed/intergalactic-infra.tgz and
installs that tarball, with each example's own dependencies, into every examples/<name>/.
Run it once on a fresh clone, then use an example from its folder:

  cd examples/aws-cookie-cache && npx intergalactic plan --stack dev

  --help   print this help`;

/** The example projects: the folders under `examples/` with a package.json. */
export function exampleDirs(): string[] {
    const dir = path.join(ROOT, "examples");
    return fs.readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "package.json")))
        .map((e) => path.join(dir, e.name))
        .sort();
}

function main(argv: string[]): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(EXAMPLES_HELP);
        return 0;
    }
    if (argv.length > 0) {
        console.error(`examples failed: unknown option ${argv[0]}; usage: npm run examples [-- --help]`);
        return 1;
    }
    const prepared = preparePackage();
    console.log(`build: ${prepared.build.skipped ? "up to date" : `${prepared.build.seconds.toFixed(1)} s`}; packed ${path.relative(ROOT, path.join(ROOT, "examples", ".packed", "intergalactic-infra.tgz"))}`);
    for (const dir of exampleDirs()) {
        const step = installInto(dir);
        const mb = diskUsageBytes(path.join(dir, "node_modules")) / 1024 / 1024;
        console.log(`${path.relative(ROOT, dir)}: ${step.skipped ? "up to date" : `installed in ${step.seconds.toFixed(1)} s`}, node_modules ${mb.toFixed(0)} MB`);
    }
    return 0;
}

if (require.main === module) {
    try {
        process.exit(main(process.argv.slice(2)));
    } catch (err) {
        console.error(`examples failed: ${(err as Error).message}`);
        process.exit(1);
    }
}
