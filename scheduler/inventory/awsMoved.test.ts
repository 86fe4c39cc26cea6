/**
 * A stack moved between a self-managed backend and Pulumi Cloud while down, with the AWS snapshot inventory:
 * `stack export`/`import` and `stack migrate` keep neither tags nor history (pulumi/pulumi#10339), and the
 * qualified name the teardown tagged its snapshot with (`organization/intergalactic/dev` on a self-managed
 * backend, `<org>/intergalactic/dev` on Pulumi Cloud) is not the stack's any more. The reconciler runs through
 * the real Automation API code against the fake CLI; the snapshot reaches the inventory only as the AWS APIs
 * show it (testing/fakeAws.ts). Each test follows the data marker: the spin-up must stop and name the snapshot
 * and the owner it is tagged for, never start the store empty, and the named `--restore` brings the data back.
 */
import * as assert from "assert";
import { AwsInventory } from "./aws";
import { KeptSnapshot, newestReal, otherOwnersStopping } from "./index";
import { ReconcileError } from "../stackOps";
import { FakeBackend } from "../testing/fakeBackend";
import { FakeAwsApi } from "../testing/fakeAws";
import { FRIDAY_EVENING, MONDAY, MONDAY_EVENING, TUESDAY, runner, writer } from "../testing/harness";

/** The stack moved to a `kind` backend (in `organization` on Pulumi Cloud) with its state alone: no tags, and Pulumi Cloud's history only its import. */
function movedTo(backend: FakeBackend, kind: "diy" | "cloud", organization?: string): void {
    backend.edit((s) => {
        const now = new Date().toISOString();
        s.backend = kind;
        s.organization = organization;
        s.stacks.dev.tags = {};
        s.stacks.dev.history = kind === "cloud" ? [{ version: 1, kind: "import", result: "succeeded", message: "", config: {}, startTime: now, endTime: now }] : [];
        s.stacks.dev.lock = null;
    });
}

describe("a stack moved between backends while down, with the AWS snapshot inventory", function () {
    this.timeout(240_000);
    let backend: FakeBackend;
    let aws: FakeAwsApi;
    let lines: string[];
    const run = runner(() => backend, () => lines, () => ({ dataStores: ["users"], inventory: new AwsInventory(aws, "intergalactic", "us-east-1") }));
    const write = writer(() => backend);
    const tagsOf = (id: string) => aws.tags.get(`arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`);

    afterEach(() => backend.cleanup());

    const cases: { what: string; from: "diy" | "cloud"; fromOrg?: string; to: "diy" | "cloud"; toOrg?: string; owner: string }[] = [
        { what: "from a self-managed backend to Pulumi Cloud", from: "diy", to: "cloud", toOrg: "acme", owner: "organization/intergalactic/dev" },
        { what: "from Pulumi Cloud to a self-managed backend", from: "cloud", fromOrg: "acme", to: "diy", owner: "acme/intergalactic/dev" },
        { what: "from one Pulumi Cloud organisation to another", from: "cloud", fromOrg: "acme", to: "cloud", toOrg: "globex", owner: "acme/intergalactic/dev" },
    ];
    for (const c of cases) {
        it(`${c.what}: the spin-up stops and names the snapshot tagged for the earlier owner, never starts the store empty; the named --restore brings the data back`, async () => {
            backend = new FakeBackend(c.from);
            if (c.fromOrg) backend.edit((s) => void (s.organization = c.fromOrg));
            aws = new FakeAwsApi(() => backend);
            lines = [];
            await backend.markUp("M1");
            await run(FRIDAY_EVENING);
            const [friday] = Object.keys(backend.read().cloud.snapshots);
            assert.strictEqual(backend.read().cloud.snapshots[friday]?.marker, "M1");
            assert.strictEqual(tagsOf(friday)?.["intergalactic:stack"], c.owner);

            movedTo(backend, c.to, c.toOrg);
            const refused = await run(MONDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused instanceof Error ? refused.message : JSON.stringify(refused)} (live: ${JSON.stringify(backend.liveMarkers())})\n${lines.join("\n")}`);
            assert.deepStrictEqual(backend.liveMarkers(), {}, "nothing was created");
            assert.match(refused.message, new RegExp(`users: .*${friday} \\(taken [^)]*\\) tagged for ${c.owner}: --restore users=${friday}`));
            assert.match(refused.message, /restore one explicitly, or users=empty if the stack is new/);
            assert.ok(!/it is new and starts empty/.test(lines.join("\n")), `the log says the store starts empty:\n${lines.join("\n")}`);

            lines = [];
            await run(MONDAY, { restore: { users: { id: friday, config: {} } } });
            assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
            // The week goes on under the new owner: its teardown tags its own snapshot, restored from the earlier owner's.
            write("M2");
            await run(MONDAY_EVENING);
            const monday = Object.keys(backend.read().cloud.snapshots).find((id) => backend.read().cloud.snapshots[id].marker === "M2")!;
            assert.strictEqual(tagsOf(monday)?.["intergalactic:restored-from"], friday);
            assert.notStrictEqual(tagsOf(monday)?.["intergalactic:stack"], c.owner);
            await run(TUESDAY);
            assert.deepStrictEqual(backend.liveMarkers(), { users: "M2" });
        });
    }
});

describe("snapshots tagged for another owner of the stack's project and name, against its own", () => {
    const kept = (id: string, at: string, from: string, taggedFor?: string): KeptSnapshot =>
        ({ id, takenAt: new Date(at), from, config: {}, until: "", ...(taggedFor ? { taggedFor, ownerUnproven: `tagged for ${taggedFor}` } : {}) });
    const own = [kept("users-td-20261120t1800z-dev-1a2b3c4d", "2026-11-20T18:03:00Z", "")];

    it("stop a store with none of its own, or whose own do not settle it", () => {
        const theirs = [kept("users-td-20261127t1800z-dev", "2026-11-27T18:03:00Z", "", "organization/intergalactic/dev")];
        assert.deepStrictEqual(otherOwnersStopping(newestReal([], ""), [], theirs), theirs);
        assert.deepStrictEqual(otherOwnersStopping({ kind: "ask", why: "" }, own, theirs), theirs);
    });

    it("with its own settling it: only a newer one that continues its lineage (moved away and back), never another organisation's stack's", () => {
        const verdict = newestReal(own, "");
        assert.strictEqual(verdict.kind, "restore");
        const sibling = [kept("users-td-20261127t1800z-dev-5e6f7a8b", "2026-11-27T18:03:00Z", "users-td-20261113t1800z-dev-5e6f7a8b", "globex/intergalactic/dev")];
        assert.deepStrictEqual(otherOwnersStopping(verdict, own, sibling), []);
        const away = kept("users-td-20261124t1800z-dev", "2026-11-24T18:03:00Z", own[0].id, "organization/intergalactic/dev");
        const further = kept("users-td-20261125t1800z-dev", "2026-11-25T18:03:00Z", away.id, "organization/intergalactic/dev");
        assert.deepStrictEqual(otherOwnersStopping(verdict, own, [further, away]).map((k) => k.id).sort(), [away.id, further.id]);
        const older = kept("users-td-20261110t1800z-dev", "2026-11-10T18:03:00Z", own[0].id, "organization/intergalactic/dev");
        assert.deepStrictEqual(otherOwnersStopping(verdict, own, [older]), [], "an older one holds no newer data");
    });
});
