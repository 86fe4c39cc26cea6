/**
 * What the pack in this process is given answers every getter `@pulumi/policy`'s handlers read as
 * the request message does: the same values, keys in the same order, the same absent provider.
 */
import * as assert from "assert";
import { REDACTED, UNKNOWN } from "../../engine/format";
import { resource } from "../fixtures/build";
import { analyzeStackView, analyzeView } from "./views";
import { analyzeRequest, analyzeStackRequest } from "./wire";

const provider = resource("pulumi:providers:kubernetes", "eks", { kubeconfig: REDACTED, context: "eks" });
const db = resource("aws:docdb/cluster:Cluster", "db", { zeta: 1, alpha: { b: [UNKNOWN, 2], a: "x" }, password: REDACTED });
const service = {
    ...resource("kubernetes:core/v1:Service", "web", { spec: { type: "ClusterIP", ports: [{ port: 80 }] }, metadata: { name: "web" } }, { deps: { spec: [db], metadata: [provider] } }),
    options: { protect: true, retainOnDelete: false, deletedWith: "", ignoreChanges: ["spec.ports"], provider: `${provider.urn}::provider-id` },
};
// Keys deliberately out of order: the message's map iterates them sorted.
service.propertyDependencies = { spec: [db.urn], metadata: [provider.urn] };

/** Every value the SDK's handlers read of a resource message (server.js getResourceOptions, getProviderResource, ...). */
function read(r: any, stack: boolean): unknown {
    const o = r.getOptions();
    const t = o.getCustomtimeouts();
    const p = r.getProvider();
    return {
        type: r.getType(), name: r.getName(), urn: r.getUrn(), properties: r.getProperties().toJavaScript(),
        keys: JSON.stringify(r.getProperties().toJavaScript()),
        options: [o.getProtect(), o.getIgnorechangesList(), o.getAliasesList(), [t?.getCreate(), t?.getUpdate(), t?.getDelete()],
            o.getAdditionalsecretoutputsList(), o.getDeletebeforereplacedefined(), o.getDeletebeforereplace(), o.getParent()],
        provider: p && [p.getType(), p.getName(), p.getUrn(), JSON.stringify(p.getProperties().toJavaScript())],
        ...(stack ? {
            parent: r.getParent(), dependencies: r.getDependenciesList(),
            propertyDependencies: [...r.getPropertydependenciesMap().entries()].map(([k, v]: [string, any]) => [k, v.getUrnsList()]),
        } : {}),
    };
}

describe("the requests the pack in this process reads", () => {
    it("answer an analyze request's getters as its message does", () => {
        for (const r of [provider, db, service]) assert.deepStrictEqual(read(analyzeView(r), false), read(analyzeRequest(r), false));
    });

    it("answer an analyzeStack request's getters as its message does, one provider for the resources on it", () => {
        const resources = [provider, db, service, { ...service, name: "api", urn: `${service.urn}-api` }];
        const view = analyzeStackView(resources).getResourcesList();
        const message = analyzeStackRequest(resources).getResourcesList();
        assert.strictEqual(view.length, message.length);
        view.forEach((r, i) => assert.deepStrictEqual(read(r, true), read(message[i], true)));
        assert.deepStrictEqual((read(view[2], true) as { propertyDependencies: unknown }).propertyDependencies, [["metadata", [provider.urn]], ["spec", [db.urn]]]);
        assert.strictEqual(view[2].getProvider(), view[3].getProvider());
        assert.strictEqual(view[1].getProvider(), undefined);
    });

    it("share a plan's values already in a Struct's form (keys sorted) instead of copying them", () => {
        const sorted = resource("aws:s3/bucket:Bucket", "b", { acl: "private", tags: { a: "1", b: "2" }, versioning: [{ enabled: true }] });
        const javascript = analyzeView(sorted).getProperties().toJavaScript();
        assert.strictEqual(javascript, sorted.inputs);
        assert.deepStrictEqual(javascript, analyzeRequest(sorted).getProperties()?.toJavaScript());
        const unsorted = analyzeView(db).getProperties().toJavaScript();
        assert.notStrictEqual(unsorted, db.inputs);
        assert.deepStrictEqual(Object.keys(unsorted), ["alpha", "password", "zeta"]);
    });

    it("fail on a value a Struct cannot hold while the request is built, as the message's Struct does", () => {
        const bad = resource("aws:s3/bucket:Bucket", "b", { list: [undefined] });
        assert.throws(() => analyzeRequest(bad), /Unexpected struct type/);
        assert.throws(() => analyzeView(bad), /Unexpected struct type/);
    });
});
