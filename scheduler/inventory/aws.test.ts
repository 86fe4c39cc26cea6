/**
 * The AWS snapshot inventory over responses shaped as the SDK returns them: which snapshots are the store's,
 * what they say of their lineage, paging, a failing call, the tags a teardown writes, and the SDK's loading.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AWS_INVENTORY_SDKS, AwsInventory, AwsSnapshotApi, AwsTag, CREATED_EMPTY, CacheSnapshot, DBClusterSnapshot, awsStores, loadSdk, sdkApi } from "./aws";
import { loadStackFiles } from "../../engine/stackFiles";
import { InventoryError, KeptSnapshot, SnapshotInventory, inventoryFor, newestReal } from "./index";

/** The inventory npm run schedule builds for a stack of this project (scheduler/cli.ts). */
function stackInventory(root: string, stack: string, env: Record<string, string | undefined>): SnapshotInventory | undefined {
    const config = loadStackFiles(root, stack).config;
    return inventoryFor(config["intergalactic:cloud"] as never, { stack, config, env });
}
import { cacheSnapshot, clusterSnapshot } from "../testing/fakeAws";
import { runSuffix } from "../snapshots";

const ARN = (id: string) => `arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${id}`;
const CACHE_ARN = (id: string) => `arn:aws:elasticache:us-east-1:123456789012:snapshot:${id}`;
const OURS = { "intergalactic:stack": "intergalactic/dev", "intergalactic:store": "users" };
const NOW = new Date("2026-12-01T06:30:00Z");

/** An API whose DocumentDB listing is `pages` (one Marker per page boundary) and whose tags are `tags` by ARN. */
function api(pages: DBClusterSnapshot[][], tags: Record<string, Record<string, string>> = {}, caches: CacheSnapshot[] = []): AwsSnapshotApi & { calls: string[]; added: AwsTag[][] } {
    const calls: string[] = [];
    const added: AwsTag[][] = [];
    const list = async (input: { ResourceName: string }) => ({ TagList: Object.entries(tags[input.ResourceName] ?? {}).map(([Key, Value]) => ({ Key, Value })) });
    return {
        calls, added,
        describeDBClusterSnapshots: async (input) => {
            calls.push(`DescribeDBClusterSnapshots ${JSON.stringify(input)}`);
            const n = input.Marker ? Number(input.Marker) : 0;
            return { DBClusterSnapshots: pages[n] ?? [], ...(n + 1 < pages.length ? { Marker: String(n + 1) } : {}) };
        },
        describeCacheSnapshots: async () => ({ Snapshots: caches }),
        listDocDbTags: list,
        listCacheTags: list,
        addDocDbTags: async (input) => void added.push(input.Tags),
        addCacheTags: async (input) => void added.push(input.Tags),
    };
}

const docdb = (id: string, at: string | undefined, status = "available") => clusterSnapshot(id, at, status, ARN(id));
const byId = (kept: readonly KeptSnapshot[]) => Object.fromEntries(kept.map((k) => [k.id, k]));

describe("the AWS snapshot inventory", () => {
    it("lists the store's snapshots over every page: tagged ones with their lineage, untagged ones by name as not owned, a creating one too", async () => {
        const calls = api([
            [docdb("users-td-20261127t1800z", "2026-11-27T18:04:00Z"), docdb("users-td-20261130t1800z", "2026-11-30T18:03:00Z")],
            [docdb("users-up-20261201t0630z", undefined, "creating"), docdb("cache-td-20261127t1800z", "2026-11-27T18:05:00Z")],
            [docdb("users-final", "2026-11-20T10:00:00Z"), docdb("users-deleted", "2026-11-01T10:00:00Z", "deleting")],
        ], {
            [ARN("users-td-20261127t1800z")]: { ...OURS, "intergalactic:restored-from": CREATED_EMPTY },
            [ARN("users-td-20261130t1800z")]: { ...OURS, "intergalactic:restored-from": "users-td-20261127t1800z", owner: "platform" },
            [ARN("users-final")]: { "intergalactic:stack": "intergalactic/prod", "intergalactic:store": "users" },
        });
        const kept = byId(await new AwsInventory(calls, "intergalactic", "us-east-1").list("dev", "users"));
        assert.deepStrictEqual(Object.keys(kept).sort(), ["users-td-20261127t1800z", "users-td-20261130t1800z", "users-up-20261201t0630z"],
            "another store's, another stack's and a deleting snapshot are left out");
        assert.deepStrictEqual(calls.calls.map((c) => JSON.parse(c.slice(c.indexOf("{")))), [{ SnapshotType: "manual" }, { SnapshotType: "manual", Marker: "1" }, { SnapshotType: "manual", Marker: "2" }]);
        assert.strictEqual(kept["users-td-20261127t1800z"].from, "");
        assert.strictEqual(kept["users-td-20261130t1800z"].from, "users-td-20261127t1800z");
        assert.strictEqual(kept["users-td-20261130t1800z"].takenAt?.toISOString(), "2026-11-30T18:03:00.000Z");
        assert.deepStrictEqual(kept["users-td-20261130t1800z"].config, { "intergalactic:snapshots.encryptionKeys.users": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" });
        const creating = kept["users-up-20261201t0630z"];
        assert.deepStrictEqual([Boolean(creating.ownerUnproven), creating.from, creating.takenAt, creating.notReady], [true, "?", undefined, "is not available yet (DocumentDB status creating)"],
            "a person's destroy took it: no tags, no time yet, not restorable yet");
        assert.strictEqual(kept["users-td-20261130t1800z"].notReady, undefined);
    });

    it("finds an ElastiCache snapshot by its name and tags, taken when its newest node snapshot was", async () => {
        const snap = cacheSnapshot("cache-td-20261130t1800z", "2026-11-30T18:02:00Z", "available", CACHE_ARN("cache-td-20261130t1800z"));
        const shards = { ...snap, NodeSnapshots: [...(snap.NodeSnapshots ?? []), { SnapshotCreateTime: new Date("2026-11-30T18:06:00Z") }] };
        const calls = api([[]], { [CACHE_ARN("cache-td-20261130t1800z")]: { "intergalactic:stack": "intergalactic/dev", "intergalactic:store": "cache", "intergalactic:restored-from": "cache-td-20261127t1800z" } }, [shards]);
        const [kept] = await new AwsInventory(calls, "intergalactic", "us-east-1").list("dev", "cache");
        assert.deepStrictEqual([kept.id, kept.from, Boolean(kept.ownerUnproven), kept.takenAt?.toISOString()], ["cache-td-20261130t1800z", "cache-td-20261127t1800z", false, "2026-11-30T18:06:00.000Z"]);
    });

    it("never restores a snapshot found only by its name unless the record names it", () => {
        const untagged: KeptSnapshot = { id: "users-final", takenAt: NOW, from: "?", config: {}, until: "", ownerUnproven: "only its name ties it to the store" };
        const ours: KeptSnapshot = { id: "users-td-20261130t1800z", takenAt: new Date("2026-11-30T18:00:00Z"), from: "", config: {}, until: "" };
        assert.match(JSON.stringify(newestReal([untagged], "")), /"kind":"ask".*may be another stack's/);
        assert.strictEqual(newestReal([untagged, ours], "").kind, "ask");
        const named = newestReal([untagged, ours], "users-final");
        assert.ok(named.kind === "restore" && named.snapshot.id === "users-final");
    });

    it("a snapshot whose time the service does not give is never the newest: the spin-up asks instead", async () => {
        // Friday's, created empty; Monday's, restored from Friday's, time missing; Tuesday's, restored from Monday's.
        const ids = ["users-td-20261127t1800z-dev", "users-td-20261130t1800z-dev", "users-td-20261201t1800z-dev"];
        const calls = api([[docdb(ids[0], "2026-11-27T18:04:00Z"), docdb(ids[1], undefined), docdb(ids[2], "2026-12-01T18:04:00Z")]], {
            [ARN(ids[0])]: { ...OURS, "intergalactic:restored-from": CREATED_EMPTY },
            [ARN(ids[1])]: { ...OURS, "intergalactic:restored-from": ids[0] },
            [ARN(ids[2])]: { ...OURS, "intergalactic:restored-from": ids[1] },
        });
        const kept = await new AwsInventory(calls, "intergalactic", "us-east-1").list("dev", "users");
        assert.strictEqual(byId(kept)[ids[1]].takenAt, undefined, "no time is made up for it");
        const verdict = newestReal(kept, "");
        assert.strictEqual(verdict.kind, "ask", `it restored ${verdict.kind === "restore" ? verdict.snapshot.id : ""}, though Tuesday's is the newest`);
        assert.match(verdict.kind === "ask" ? verdict.why : "", /the cloud does not say when users-td-20261130t1800z-dev was taken, so which of the 3 kept snapshots is the newest is not known/);
        assert.strictEqual(newestReal([byId(kept)[ids[1]]], ids[1]).kind, "restore", "alone, and named by the record, its time does not matter");
    });

    it("matches only the exact names the scheduler and the stack file arm, in the one service that keeps the store", async () => {
        const cache = (id: string) => cacheSnapshot(id, "2026-11-30T18:02:00Z", "available", CACHE_ARN(id));
        const calls = api([[docdb("cache-td-20261130t1800z-dev", "2026-11-30T18:02:00Z")]], {}, [
            cache("cache-td-20261130t1800z-dev"), cache("cache-td-20261127t1800z"), cache("cache-final"), cache("cache-up-20261130t0630z-dev"),
            cache("cache-eu-td-20261130t1800z-dev"), cache("cache-td-20261130t1800z-dev-2"), cache("cache-nightly"), cache("cache-td-20261130t1800z-dev1"),
        ]);
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1");
        const kept = await inventory.list("dev", "cache");
        assert.deepStrictEqual(kept.map((k) => k.id).sort(), ["cache-final", "cache-td-20261127t1800z", "cache-td-20261130t1800z-dev", "cache-up-20261130t0630z-dev"],
            "another store's (cache-eu), another stack's (dev-2), and names no deletion of it takes are left out; the old form without the stack is read");
        assert.deepStrictEqual(calls.calls, [], "the cache's snapshots are ElastiCache's: DocumentDB is not listed");
        await assert.rejects(inventory.list("dev", "orders"), /orders is not a data store of the stack config \(intergalactic:mongo.name, intergalactic:redis.name or intergalactic:kafka.name\)/);
        assert.deepStrictEqual(await inventory.list("dev", "kafka"), [], "MSK keeps no snapshot");
    });

    it("reads the stores' services and the stack file's suffix from the stack config", async () => {
        const config = { "intergalactic:mongo": JSON.stringify({ name: "accounts" }), "intergalactic:redis": JSON.stringify({ enabled: false }), "intergalactic:snapshots": JSON.stringify({ finalSnapshotSuffix: "kept" }) };
        assert.deepStrictEqual(awsStores(config), { services: { accounts: "DocumentDB", kafka: undefined }, configuredSuffix: "kept" });
        assert.deepStrictEqual(awsStores({}), { services: { users: "DocumentDB", cache: "ElastiCache", kafka: undefined }, configuredSuffix: "final" });
        const calls = api([[docdb("accounts-kept", "2026-11-20T10:00:00Z"), docdb("accounts-final", "2026-11-20T10:00:00Z")]]);
        const kept = await new AwsInventory(calls, "intergalactic", "us-east-1", awsStores(config)).list("dev", "accounts");
        assert.deepStrictEqual(kept.map((k) => k.id), ["accounts-kept"]);
        await assert.rejects(new AwsInventory(calls, "intergalactic", "us-east-1", awsStores(config)).list("dev", "cache"), /cache is not a data store of the stack config/);
    });

    it("a store the stack config no longer declares is looked up in the service its state's data resources say, and tagged there", async () => {
        const config = { "intergalactic:mongo": JSON.stringify({ enabled: false }), "intergalactic:redis": JSON.stringify({ name: "sessions" }) };
        const calls = api([[docdb("users-td-20261130t1800z-dev", "2026-11-30T18:02:00Z")]], {}, [cacheSnapshot("cache-td-20261130t1800z-dev", "2026-11-30T18:02:00Z", "available", CACHE_ARN("cache-td-20261130t1800z-dev"))]);
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1", awsStores(config));
        await assert.rejects(inventory.list("dev", "users"), /users is not a data store of the stack config .*, nor did a state name its data resources/);
        assert.deepStrictEqual((await inventory.list("dev", "users", ["aws:docdb/cluster:Cluster"])).map((k) => k.id), ["users-td-20261130t1800z-dev"]);
        await inventory.label("dev", "users", "users-td-20261130t1800z-dev", "", ["aws:docdb/cluster:Cluster"]);
        assert.deepStrictEqual(calls.added, [[{ Key: "intergalactic:stack", Value: "intergalactic/dev" }, { Key: "intergalactic:store", Value: "users" }, { Key: "intergalactic:restored-from", Value: CREATED_EMPTY }]]);
        // Renamed (redis.name sessions): the old name is the state's cache, whatever the config says of it.
        assert.deepStrictEqual((await inventory.list("dev", "cache", ["aws:elasticache/replicationGroup:ReplicationGroup"])).map((k) => k.id), ["cache-td-20261130t1800z-dev"]);
        assert.deepStrictEqual(await inventory.list("dev", "kafka", ["aws:msk/cluster:Cluster"]), [], "MSK keeps no snapshot");
    });

    it("a call the account refuses is an InventoryError naming the API, the region and the error", async () => {
        const refused = { ...api([[]]), describeDBClusterSnapshots: async () => { throw Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: rds:DescribeDBClusterSnapshots"), { name: "AccessDenied" }); } };
        await assert.rejects(new AwsInventory(refused, "intergalactic", "us-east-1").list("dev", "users"), (e: Error) => e instanceof InventoryError &&
            e.message === "DocumentDB DescribeDBClusterSnapshots in us-east-1 failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: rds:DescribeDBClusterSnapshots");
        const endless = { ...api([[]]), describeCacheSnapshots: async () => ({ Snapshots: [], Marker: "again" }) };
        await assert.rejects(new AwsInventory(endless, "intergalactic", "us-east-1").list("dev", "cache"), /ElastiCache DescribeSnapshots returned more than 100 pages/);
    });

    it("tags a taken snapshot with its stack, store and lineage; an unknown lineage writes no restored-from", async () => {
        const calls = api([[docdb("users-td-20261130t1800z", "2026-11-30T18:03:00Z")]]);
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1");
        await inventory.label("dev", "users", "users-td-20261130t1800z", "users-td-20261127t1800z");
        await inventory.label("dev", "users", "users-td-20261130t1800z", "");
        await inventory.label("dev", "users", "users-td-20261130t1800z", "?");
        assert.deepStrictEqual(calls.added.map((tags) => Object.fromEntries(tags.map((t) => [t.Key, t.Value]))), [
            { ...OURS, "intergalactic:restored-from": "users-td-20261127t1800z" },
            { ...OURS, "intergalactic:restored-from": CREATED_EMPTY },
            OURS,
        ]);
        await assert.rejects(inventory.label("dev", "users", "users-up-20261201t0630z", ""), /no DocumentDB snapshot named users-up-20261201t0630z in us-east-1 to tag/);
    });
});

    it("a qualified --stack (myorg/dev) arms, tags and finds the same snapshots as dev: one stack, one name", async () => {
        const id = "users-td-20261130t1800z-dev";
        const calls = api([[docdb(id, "2026-11-30T18:03:00Z")]], {
            [ARN(id)]: { ...OURS, "intergalactic:restored-from": CREATED_EMPTY },
            [ARN("users-td-20261127t1800z")]: { "intergalactic:stack": "intergalactic/myorg/dev", "intergalactic:store": "users" },
        });
        calls.describeDBClusterSnapshots = (async () => ({ DBClusterSnapshots: [docdb(id, "2026-11-30T18:03:00Z"), docdb("users-td-20261127t1800z", "2026-11-27T18:03:00Z")] })) as never;
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1");
        for (const stack of ["dev", "myorg/dev", "myorg/intergalactic/dev"]) {
            const kept = await inventory.list(stack, "users");
            const expected = stack === "myorg/dev" ? [[id, ""], ["users-td-20261127t1800z", ""]] : [[id, ""]];
            assert.deepStrictEqual(kept.map((k) => [k.id, k.ownerUnproven ?? ""]), expected, `${stack}: the stack's own name tags it; the qualified tag earlier teardowns wrote only for that same qualified name`);
        }
        await inventory.label("myorg/dev", "users", id, "");
        assert.strictEqual(Object.fromEntries(calls.added[0].map((t) => [t.Key, t.Value]))["intergalactic:stack"], "intergalactic/dev");
    });

describe("the AWS inventory of a stack by its fully qualified name", () => {
    const SHOP = "organization/shop/dev";
    const BILLING = "organization/billing/dev";

    it("lists a snapshot tagged for this project's stack, never one tagged for another project's or organisation's stack of the same name", async () => {
        const ids = ["users-td-20261127t1800z-dev", "users-td-20261128t1800z-dev", "users-td-20261129t1800z-dev"];
        const calls = api([ids.map((id, i) => docdb(id, `2026-11-2${7 + i}T18:03:00Z`))], {
            [ARN(ids[0])]: { "intergalactic:stack": SHOP, "intergalactic:store": "users", "intergalactic:restored-from": CREATED_EMPTY },
            [ARN(ids[1])]: { "intergalactic:stack": BILLING, "intergalactic:store": "users", "intergalactic:restored-from": CREATED_EMPTY },
            [ARN(ids[2])]: { "intergalactic:stack": "acme/shop/dev", "intergalactic:store": "users", "intergalactic:restored-from": CREATED_EMPTY },
        });
        const base = new AwsInventory(calls, "intergalactic", "us-east-1");
        assert.deepStrictEqual((await base.forOwner(SHOP).list("dev", "users")).map((k) => [k.id, k.ownerUnproven ?? ""]), [[ids[0], ""]]);
        assert.deepStrictEqual((await base.forOwner(BILLING).list("dev", "users")).map((k) => [k.id, k.ownerUnproven ?? ""]), [[ids[1], ""]]);
        assert.deepStrictEqual((await base.forOwner("acme/shop/dev").list("dev", "users")).map((k) => k.id), [ids[2]]);
    });

    it("a snapshot tagged in the earlier form (intergalactic/dev, written by every project) is found for the stack but not proven: the spin-up asks unless the record names it", async () => {
        const id = "users-td-20261120t1800z-dev";
        const calls = api([[docdb(id, "2026-11-20T18:03:00Z")]], { [ARN(id)]: { "intergalactic:stack": "intergalactic/dev", "intergalactic:store": "users", "intergalactic:restored-from": CREATED_EMPTY } });
        const [kept] = await new AwsInventory(calls, "intergalactic", "us-east-1").forOwner(SHOP).list("dev", "users");
        assert.strictEqual(kept.id, id);
        assert.match(kept.ownerUnproven ?? "", /the form earlier versions wrote/);
        assert.strictEqual(newestReal([kept], "").kind, "ask");
        assert.strictEqual(newestReal([kept], id).kind, "restore", "the record's own last known snapshot");
    });

    it("finds by name only what this stack armed: another project's armed names are not its own, the earlier forms are (unproven)", async () => {
        const mine = `users-${runSuffix("td", new Date("2026-11-27T18:00:00Z"), "dev", SHOP)}`;
        const theirs = `users-${runSuffix("td", new Date("2026-11-27T18:00:00Z"), "dev", BILLING)}`;
        assert.notStrictEqual(mine, theirs, "two projects' teardowns in one minute arm two names");
        assert.ok(mine.length <= "users-".length + 40 && /^users-td-20261127t1800z-dev-[0-9a-f]{8}$/.test(mine), mine);
        assert.strictEqual(runSuffix("td", new Date("2026-11-27T18:00:00Z"), "dev", "organization/intergalactic/dev"), "td-20261127t1800z-dev", "the identity earlier versions assumed keeps its names");
        const calls = api([[docdb(mine, "2026-11-27T18:03:00Z"), docdb(theirs, "2026-11-27T18:04:00Z"), docdb("users-td-20261120t1800z-dev", "2026-11-20T18:03:00Z"), docdb("users-td-20261113t1800z", "2026-11-13T18:03:00Z")]]);
        const kept = await new AwsInventory(calls, "intergalactic", "us-east-1").forOwner(SHOP).list("dev", "users");
        assert.deepStrictEqual(kept.map((k) => k.id).sort(), [mine, "users-td-20261113t1800z", "users-td-20261120t1800z-dev"].sort());
        assert.ok(kept.every((k) => k.ownerUnproven), "untagged: a name never proves a snapshot this stack's");
    });

    it("tags with the qualified name, and never tags over a snapshot tagged for another stack", async () => {
        const id = `users-${runSuffix("td", new Date("2026-11-27T18:00:00Z"), "dev", SHOP)}`;
        const other = "users-td-20261127t1800z";
        const calls = api([[docdb(id, "2026-11-27T18:03:00Z"), docdb(other, "2026-11-27T18:04:00Z")]], { [ARN(other)]: { "intergalactic:stack": BILLING, "intergalactic:store": "users" } });
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1").forOwner(SHOP);
        await inventory.label("dev", "users", id, "");
        assert.deepStrictEqual(Object.fromEntries(calls.added[0].map((t) => [t.Key, t.Value])), { "intergalactic:stack": SHOP, "intergalactic:store": "users", "intergalactic:restored-from": CREATED_EMPTY });
        await assert.rejects(inventory.label("dev", "users", other, ""), /users-td-20261127t1800z in us-east-1 is tagged intergalactic:stack=organization\/billing\/dev, not organization\/shop\/dev: it is not tagged over/);
        assert.strictEqual(calls.added.length, 1);
    });
});

describe("the AWS inventory's wait for a snapshot still being created", () => {
    const id = "cache-td-20261127t1800z-dev";
    const waitThrough = async (statuses: string[]) => {
        const seen: string[] = [];
        const calls = api([], {}, []);
        let n = 0;
        calls.describeCacheSnapshots = async () => ({ Snapshots: [cacheSnapshot(id, undefined, statuses[Math.min(n++, statuses.length - 1)], CACHE_ARN(id))] });
        const inventory = new AwsInventory(calls, "intergalactic", "us-east-1", { services: { cache: "ElastiCache" }, configuredSuffix: "final" });
        const outcome = await inventory.awaitReady({ stack: "dev", store: "cache", id, seen: (s) => void seen.push(s), signal: new AbortController().signal, sleep: async () => undefined })
            .then(() => "available", (e: Error) => e.message);
        return { outcome, seen };
    };

    it("waits through ElastiCache's creating, copying and restoring until the snapshot is available", async () => {
        const { outcome, seen } = await waitThrough(["creating", "copying", "restoring", "available"]);
        assert.strictEqual(outcome, "available");
        assert.deepStrictEqual(seen, ["ElastiCache status creating", "ElastiCache status copying", "ElastiCache status restoring", "ElastiCache status available"]);
    });

    it("stops at a status it does not leave for available (deleting), naming it", async () => {
        const { outcome } = await waitThrough(["creating", "deleting"]);
        assert.strictEqual(outcome, "turned ElastiCache status deleting, from which it does not become available");
    });
});

describe("the AWS inventory's SDK and stack", () => {
    it("names the npm install command when an SDK package is missing, and the packages are pinned devDependencies and optional peers", () => {
        const missing = (name: string) => { throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" }); };
        assert.throws(() => loadSdk(AWS_INVENTORY_SDKS.docdb, missing), (e: Error) => e instanceof InventoryError &&
            e.message === "the AWS snapshot inventory needs @aws-sdk/client-docdb, which is not installed: run npm install --save-dev @aws-sdk/client-docdb@^3.1127.0");
        const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
        for (const { packageName, versionRange } of Object.values(AWS_INVENTORY_SDKS)) {
            assert.strictEqual(manifest.peerDependencies?.[packageName], versionRange, packageName);
            assert.deepStrictEqual(manifest.peerDependenciesMeta?.[packageName], { optional: true }, packageName);
            assert.strictEqual(`^${manifest.devDependencies?.[packageName]}`, versionRange, `${packageName} is pinned to the range's floor`);
        }
    });

    it("sends each call through the SDK's client for the region, loading the package only at the first call", async () => {
        const loaded: string[] = [];
        const sent: unknown[] = [];
        class Client { constructor(readonly config: object) { sent.push(config); } async send(command: { input: object; name: string }) { sent.push([command.name, command.input]); return { DBClusterSnapshots: [] }; } }
        const command = (name: string) => class { readonly name = name; constructor(readonly input: object) {} };
        const load = (name: string) => {
            loaded.push(name);
            return { DocDBClient: Client, DescribeDBClusterSnapshotsCommand: command("DescribeDBClusterSnapshots"), ElastiCacheClient: Client, DescribeSnapshotsCommand: command("DescribeSnapshots") };
        };
        const sdk = sdkApi("eu-west-1", load);
        assert.deepStrictEqual(loaded, [], "nothing loaded before a call");
        await sdk.describeDBClusterSnapshots({ SnapshotType: "manual" });
        await sdk.describeDBClusterSnapshots({ SnapshotType: "manual", Marker: "m" });
        assert.deepStrictEqual(sent, [{ region: "eu-west-1" }, ["DescribeDBClusterSnapshots", { SnapshotType: "manual" }], ["DescribeDBClusterSnapshots", { SnapshotType: "manual", Marker: "m" }]], "one client, reused");
        assert.deepStrictEqual([...new Set(loaded)], ["@aws-sdk/client-docdb"]);
    });

    it("is the inventory npm run schedule gives an AWS stack, in the region of its stack file; an Azure stack gets its own cloud's", () => {
        const dev = stackInventory(path.resolve(__dirname, "../.."), "dev", {});
        assert.ok(dev instanceof AwsInventory);
        assert.strictEqual((dev as unknown as { region: string }).region, "us-east-1");
        assert.deepStrictEqual((dev as unknown as { stores: unknown }).stores, { services: { users: "DocumentDB", cache: "ElastiCache", kafka: undefined }, configuredSuffix: "final" },
            "each store's service, from the stack file's sections");
        assert.throws(() => inventoryFor("aws" as never, { stack: "x", config: {}, env: {} }), /stack x: aws:region is not set in Pulumi.x.yaml, nor AWS_REGION/);
        let azure: unknown;
        try {
            azure = stackInventory(path.resolve(__dirname, "../.."), "dev-azure", {});
        } catch (err) {
            azure = err; // the Azure inventory wants its subscription, which {} does not give
        }
        assert.ok(!(azure instanceof AwsInventory));
    });
});
