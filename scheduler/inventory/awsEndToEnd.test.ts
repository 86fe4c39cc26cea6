/**
 * The AWS snapshot inventory end to end: the reconciler runs through the real Automation API code against
 * the fake CLI, and the fake cloud's kept snapshots reach the inventory only as the AWS APIs show them
 * (testing/fakeAws.ts: names, times, statuses, and the tags someone wrote; a deletion copies none). Each
 * test follows a data marker through a destroy made outside the scheduler, lost record tags, another
 * stack's snapshot or a refused listing, and fails if the marker is lost even when every run exits 0.
 */
import * as assert from "assert";
import { AwsInventory, awsStores } from "./aws";
import { loadStackFiles } from "../../engine/stackFiles";
import { ReconcileError } from "../stackOps";
import { FakeBackend, FakeDataStore } from "../testing/fakeBackend";
import { FakeAwsApi } from "../testing/fakeAws";
import { FRIDAY_EVENING, FRIDAY_SNAPSHOT, MONDAY, MONDAY_EVENING, TUESDAY, TUESDAY_EVENING, WEDNESDAY, runner, writer } from "../testing/harness";

/** The snapshot Monday's spin-up names for the next deletion (`up-<time>`): what a person's destroy that day takes. */
const MONDAY_UP_SNAPSHOT = "users-up-20261130t0630z-dev";
const MONDAY_EVENING_SNAPSHOT = "users-td-20261130t1800z-dev";

describe("the AWS snapshot inventory through the reconciler", function () {
    this.timeout(180_000);
    let backend: FakeBackend;
    let aws: FakeAwsApi;
    let lines: string[];
    const log = () => lines.join("\n");
    const run = runner(() => backend, () => lines, () => ({ dataStores: ["users"], inventory: new AwsInventory(aws, "intergalactic", "us-east-1") }));
    const write = writer(() => backend);
    const tagsOf = (id: string) => aws.tags.get(`arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`);
    const personDestroys = async () => {
        const r = await backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand, outside the scheduler"]);
        assert.strictEqual(r.code, 0, r.stderr);
    };

    /** Monday's work (M2), then a person's destroy (an untagged snapshot) and the record's tags lost. */
    const destroyedByHandThenTagsLost = async () => {
        await run(FRIDAY_EVENING);
        await run(MONDAY);
        write("M2");
        await personDestroys();
        backend.edit((s) => void (s.stacks.dev.tags = {}));
    };

    beforeEach(async () => {
        backend = new FakeBackend();
        aws = new FakeAwsApi(() => backend);
        lines = [];
        await backend.markUp("M1");
    });
    afterEach(() => backend.cleanup());

    it("a teardown tags the snapshot its deletion took with the stack, the store and its lineage", async () => {
        await run(FRIDAY_EVENING);
        assert.deepStrictEqual(tagsOf(FRIDAY_SNAPSHOT), { "intergalactic:stack": "organization/intergalactic/dev", "intergalactic:store": "users", "intergalactic:restored-from": "created empty" });
        await run(MONDAY);
        await run(MONDAY_EVENING);
        assert.strictEqual(tagsOf(MONDAY_EVENING_SNAPSHOT)?.["intergalactic:restored-from"], FRIDAY_SNAPSHOT);
        assert.ok(aws.calls.some((c) => c.startsWith("describeDBClusterSnapshots {\"SnapshotType\":\"manual\",\"Marker\":")), "the listing paged");
    });

    it("a person's pulumi destroy outside the scheduler: the spin-up restores the snapshot that destroy took, which the inventory finds by its name", async () => {
        await run(FRIDAY_EVENING);
        await run(MONDAY);
        write("M2");
        await personDestroys();
        assert.strictEqual(tagsOf(MONDAY_UP_SNAPSHOT), undefined, "nothing tagged the snapshot a person's destroy took");
        await run(TUESDAY);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M2" });
    });

    it("lost record tags after a week of restores: the spin-up restores the newest snapshot by the lineage the teardowns tagged, never another stack's newer one", async () => {
        await run(FRIDAY_EVENING);
        await run(MONDAY);
        write("M2");
        await run(MONDAY_EVENING);
        // Another stack in the account and region, whose store has the same name, tore down since.
        backend.edit((s) => void (s.cloud.snapshots["users-td-20261201t0000z"] = { store: "users", marker: "OTHER", deletedAt: new Date(Date.now() + 60_000).toISOString() }));
        aws.tag("users-td-20261201t0000z", { "intergalactic:stack": "intergalactic/dev-2", "intergalactic:store": "users", "intergalactic:restored-from": "created empty" });
        backend.edit((s) => void (s.stacks.dev.tags = {}));
        await run(TUESDAY);
        assert.match(log(), new RegExp(`inventory settles it: ${MONDAY_EVENING_SNAPSHOT}`));
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M2" });
    });

    it("a person's destroy and then lost record tags: the spin-up does not restore the older tagged snapshot, it stops and names both", async () => {
        await destroyedByHandThenTagsLost();
        const asked = await run(TUESDAY).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(backend.liveMarkers())}`);
        assert.match(asked.message, /users: the final snapshot its last deletion took is unknown/);
        assert.match(log(), new RegExp(`does not settle it \\(the newest kept snapshot, ${MONDAY_UP_SNAPSHOT} \\(taken [^,]+, lineage not tagged\\), may be another stack's: it carries no intergalactic:stack tag.*\\); kept: .*${FRIDAY_SNAPSHOT} \\(taken [^,]+, created empty\\)`));
        assert.deepStrictEqual(backend.liveMarkers(), {});
        await run(TUESDAY, { restore: { users: { id: MONDAY_UP_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M2" });
    });

    it("then a person's up creates the store empty and a teardown keeps its snapshot apart: the spin-up still names what the cloud keeps, so the person can answer", async () => {
        await destroyedByHandThenTagsLost();
        assert.ok((await run(TUESDAY).catch((e) => e)) instanceof ReconcileError);
        const up = await backend.pulumi(["up", "--yes", "--skip-preview", "--message", "need dev now"]);
        assert.strictEqual(up.code, 0, up.stderr);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "" }, "a person's up from main's config creates it empty");
        await run(TUESDAY_EVENING);
        const asked = await run(WEDNESDAY).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(backend.liveMarkers())}`);
        assert.match(asked.message, /users: users-td-20261201t1800z-dev \(from a store created outside the scheduler, lineage unknown\) competes with data the record cannot name: .*; the cloud keeps, newest first: .*users=users-up-20261130t0630z-dev/);
        assert.deepStrictEqual(backend.liveMarkers(), {}, "nothing was created");
        await run(WEDNESDAY, { restore: { users: { id: MONDAY_UP_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M2" });
    });

    it("a new stack next to another stack's untagged snapshot of a store with the same name asks instead of restoring that data", async () => {
        backend.cleanup();
        backend = new FakeBackend();
        // What a person's destroy of another stack in the account and region kept: named like this stack's store, no tags.
        backend.edit((s) => void (s.cloud.snapshots["users-final"] = { store: "users", marker: "OTHER", deletedAt: "2026-11-20T10:00:00Z" }));
        const asked = await run(MONDAY).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(backend.liveMarkers())}`);
        assert.match(log(), /does not settle it \(the newest kept snapshot, users-final \(taken 2026-11-20T10:00:00.000Z, lineage not tagged\), may be another stack's: it carries no intergalactic:stack tag/);
        await run(MONDAY, { restore: { users: { id: "", config: {} } } });
        assert.deepStrictEqual(backend.liveMarkers(), { users: "" });
    });

    it("a final snapshot still being created: the spin-up waits for it, then restores it in the same run", async () => {
        await run(FRIDAY_EVENING);
        aws.status[FRIDAY_SNAPSHOT] = "creating";
        let polls = 0;
        await run(MONDAY, { sleep: async () => void (++polls === 2 && delete aws.status[FRIDAY_SNAPSHOT]) });
        assert.strictEqual(polls, 2, "it polled until the snapshot was available");
        assert.match(log(), new RegExp(`users: ${FRIDAY_SNAPSHOT} is not available yet \\(DocumentDB status creating\\); waiting for it \\(at most 20 min\\)`));
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });

    it("a final snapshot that turns failed while the spin-up waits stops it before anything is created, naming the snapshot and its state", async () => {
        await run(FRIDAY_EVENING);
        aws.status[FRIDAY_SNAPSHOT] = "creating";
        const updates = backend.read().stacks.dev.history.length;
        const stopped = await run(MONDAY, { sleep: async () => void (aws.status[FRIDAY_SNAPSHOT] = "failed") }).catch((e) => e);
        assert.ok(stopped instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(backend.liveMarkers())}`);
        assert.match(stopped.message, new RegExp(`^spin-up stopped, so as not to create the stores before their snapshots can be restored; nothing was changed:\n  users: ${FRIDAY_SNAPSHOT} turned DocumentDB status failed, from which it does not become available, after waiting \\d+ s\n  a restore from it fails until it is available: the next run retries`));
        assert.strictEqual(backend.read().stacks.dev.history.length, updates, "no up ran");
        assert.deepStrictEqual(backend.liveMarkers(), {});
    });

    it("a final snapshot still being created when the wait's bound runs out stops the spin-up before anything is created; the next run restores it", async () => {
        await run(FRIDAY_EVENING);
        aws.status[FRIDAY_SNAPSHOT] = "creating";
        const updates = backend.read().stacks.dev.history.length;
        const stopped = await run(MONDAY, { limits: { snapshotWaitMs: 300 }, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) }).catch((e) => e);
        assert.ok(stopped instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(backend.liveMarkers())}`);
        assert.match(stopped.message, new RegExp(`^spin-up stopped, so as not to create the stores before their snapshots can be restored; nothing was changed:\n  users: ${FRIDAY_SNAPSHOT} was still not available \\(DocumentDB status creating\\) when the wait for it ran out, after waiting \\d+ s\n  a restore from it fails until it is available: the next run retries`));
        assert.strictEqual(backend.read().stacks.dev.history.length, updates, "no up ran");
        assert.deepStrictEqual(backend.liveMarkers(), {});
        delete aws.status[FRIDAY_SNAPSHOT];
        await run(MONDAY);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });

    it("a listing the account refuses stops the spin-up, naming the API and the error, before anything is created", async () => {
        await run(FRIDAY_EVENING);
        aws.failing = { api: "describeDBClusterSnapshots", error: Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: rds:DescribeDBClusterSnapshots"), { name: "AccessDenied" }) };
        const updates = backend.read().stacks.dev.history.length;
        const stopped = await run(MONDAY).catch((e) => e);
        assert.ok(stopped instanceof ReconcileError, `the spin-up went on: ${stopped}`);
        assert.match(stopped.message, /^spin-up stopped, so as not to restore the wrong data; nothing was changed:\n  users: the cloud's snapshot inventory could not be read: DocumentDB DescribeDBClusterSnapshots in us-east-1 failed: AccessDenied: User: .* rds:DescribeDBClusterSnapshots/);
        assert.strictEqual(backend.read().stacks.dev.history.length, updates, "no up ran");
        assert.deepStrictEqual(backend.liveMarkers(), {});
        aws.failing = undefined;
        await run(MONDAY);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });
});

describe("a store the working copy's config turned off or renamed while the stack is up, through the reconciler", function () {
    this.timeout(180_000);
    let backend: FakeBackend;
    let aws: FakeAwsApi;
    let lines: string[];
    const log = () => lines.join("\n");
    // Built as `npm run schedule` builds it: from the stores the checkout's stack file declares (cli.ts stackInventory).
    const run = runner(() => backend, () => lines, () => ({ inventory: new AwsInventory(aws, "intergalactic", "us-east-1", awsStores(loadStackFiles(backend.checkout(), "dev").config)) }));
    const write = writer(() => backend);
    const record = () => backend.read().stacks.dev.tags["intergalactic:data.users"] ?? "";
    const tagsOf = (id: string) => aws.tags.get(`arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`);

    beforeEach(async () => {
        backend = new FakeBackend();
        aws = new FakeAwsApi(() => backend);
        lines = [];
        await backend.markUp("M0");
        await run(FRIDAY_EVENING);
        await run(MONDAY);
        write("M1");
    });
    afterEach(() => backend.cleanup());

    // What the program declares with the change: an `up` would delete users (and create accounts).
    const cases: { what: string; change: Record<string, unknown>; declares: (users: FakeDataStore) => FakeDataStore[] }[] = [
        { what: "turned off (mongo.enabled false)", change: { "intergalactic:mongo": { enabled: false } }, declares: () => [] },
        { what: "renamed (mongo.name accounts)", change: { "intergalactic:mongo": { name: "accounts" } }, declares: (users) => [{ ...users, name: "accounts" }] },
    ];
    for (const c of cases) {
        it(`${c.what}: the teardown confirms, tags and records the snapshot its deletion took, and the spin-up with the store back restores it unasked`, async () => {
            const program = backend.read().program.dataStores;
            backend.committed = { ...backend.committed, ...c.change };
            backend.edit((s) => void (s.program.dataStores = c.declares(program[0])));
            // Its preview would delete users, so the teardown applies no suffix: the deletion takes the name Monday's up set.
            await run(MONDAY_EVENING);
            assert.ok(!/may be gone/.test(record()), `the record says the data may be gone: ${record()}`);
            assert.ok(!/may be gone/.test(log()), log());
            assert.match(log(), new RegExp(`teardown: users: its final snapshot ${MONDAY_UP_SNAPSHOT} is in the cloud's snapshot inventory`));
            assert.strictEqual(backend.read().cloud.snapshots[MONDAY_UP_SNAPSHOT]?.marker, "M1", "the deletion took the day's data");
            assert.deepStrictEqual(tagsOf(MONDAY_UP_SNAPSHOT), { "intergalactic:stack": "organization/intergalactic/dev", "intergalactic:store": "users", "intergalactic:restored-from": FRIDAY_SNAPSHOT });
            // The store back on (the config change reverted on main).
            backend.committed = { "intergalactic:environment": "dev" };
            backend.edit((s) => void (s.program.dataStores = program));
            await run(TUESDAY);
            assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
            assert.ok(!/may be gone/.test(record()), `the record says the data may be gone: ${record()}`);
        });
    }
});

describe("two projects' (or organisations') stacks named dev in one AWS account and region", function () {
    this.timeout(240_000);
    const made: FakeBackend[] = [];
    afterEach(() => void made.splice(0).forEach((b) => b.cleanup()));

    const cases: { what: string; kind: "diy" | "cloud"; projects: [string, string]; orgs?: [string, string]; owners: [string, string] }[] = [
        { what: "two projects on self-managed backends", kind: "diy", projects: ["shop", "billing"], owners: ["organization/shop/dev", "organization/billing/dev"] },
        { what: "two organisations' projects of one name on Pulumi Cloud", kind: "cloud", projects: ["intergalactic", "intergalactic"], orgs: ["acme", "globex"], owners: ["acme/intergalactic/dev", "globex/intergalactic/dev"] },
    ];
    for (const c of cases) {
        it(`${c.what}: each teardown takes and tags its own snapshot, and each spin-up, its record lost, restores only its own marker`, async () => {
            const backends = c.projects.map((project, i) => {
                const b = new FakeBackend(c.kind, "dev", undefined, project);
                made.push(b);
                if (c.orgs) b.edit((s) => void (s.organization = c.orgs![i]));
                return b;
            });
            const aws = new FakeAwsApi(() => backends);
            const lines: string[] = [];
            const runs = backends.map((b) => runner(() => b, () => lines, () => ({ dataStores: ["users"], inventory: new AwsInventory(aws, "intergalactic", "us-east-1") })));
            await backends[0].markUp("A1");
            await backends[1].markUp("B1");
            // The same schedule: both tear down in the same minute.
            for (const run of runs) await run(FRIDAY_EVENING);
            const taken = backends.map((b) => Object.keys(b.read().cloud.snapshots));
            assert.strictEqual(new Set(taken.flat()).size, 2, `each took one snapshot of its own name: ${JSON.stringify(taken)}`);
            taken.forEach(([id], i) => assert.strictEqual(aws.tags.get(`arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`)?.["intergalactic:stack"], c.owners[i]));
            // Both records lost (a stack move keeps no tags): only the cloud's inventory can say what to restore.
            for (const b of backends) b.edit((s) => void (s.stacks.dev.tags = {}));
            for (const run of runs) await run(MONDAY);
            assert.deepStrictEqual(backends.map((b) => b.liveMarkers()), [{ users: "A1" }, { users: "B1" }], lines.join("\n"));
        });
    }
});
