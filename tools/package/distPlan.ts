/**
 * `ts-node tools/package/distPlan.ts <package dir>`: builds AWS components from
 * a compiled copy of the package (the repository's `dist/` or an installed
 * package) under the offline plan mocks, and prints the planned resource types
 * as JSON. Run in a fresh process, with `loadReport.ts` preloaded, by the tests.
 */
import * as path from "path";
import { runPlan } from "../../engine/runPlan";

type Package = typeof import("../../components");

async function main(packageDir: string): Promise<string[]> {
    // The compiled package, loaded the way a consumer loads it: through its package.json `main`.
    const pkg: Package = require(path.resolve(packageDir));
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const plan = await runPlan({
        project: "dist-check",
        stack: "check",
        config: { "aws:region": "us-east-1" },
        program: async () => {
            const network = new pkg.Vpc3Az("net", { cloud: pkg.Cloud.Aws, availabilityZones: zones });
            new pkg.HaRedis("cache", {
                cloud: pkg.Cloud.Aws,
                network: network.facts(),
            });
        },
    });
    return plan.resources.map((r) => r.type);
}

main(process.argv[2]).then(
    (types) => console.log(JSON.stringify(types)),
    (err: Error) => {
        console.error(err.stack ?? err);
        process.exit(1);
    },
);
