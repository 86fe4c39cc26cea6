import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

/** The stack program's own sources: the entry, the composition and the tiers (tests excluded). */
function stackSources(): string[] {
    const tiers = path.join(__dirname, "tiers");
    return [path.join(__dirname, "program.ts"), path.join(__dirname, "index.ts"),
        ...fs.readdirSync(tiers).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => path.join(tiers, f))];
}

describe("the stacks wire the components as a consumer does", () => {
    it("never re-plan the network: no planNetwork, subnetsOf or networkPlan import in the stack program", () => {
        for (const file of stackSources()) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\bplanNetwork\b|\bsubnetsOf\b|network\/networkPlan/, path.basename(file));
        }
    });

    it("never pick a subnet, zone or address by its position in an Output's list", () => {
        for (const file of stackSources()) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\.apply\(\(\w+\) => \w+\[(\w+|\d+)\]\)/, path.basename(file));
            assert.doesNotMatch(text, /(appSubnetIds|dataSubnetIds|publicSubnetIds|bastionSubnetIds|egressIps)\b/, path.basename(file));
        }
    });
});
