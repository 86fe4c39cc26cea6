import * as assert from "assert";
import { planStack } from "../plan/cli";
import { loadCreationTimes } from "./creationTimes";
import { ResourceTask, planTasks } from "./tasks";

/** Every task a task waits for, directly or not. */
function ancestors(tasks: ResourceTask[], start: ResourceTask): ResourceTask[] {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const seen = new Set<string>();
    const pending = [...start.deps];
    while (pending.length > 0) {
        const id = pending.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        pending.push(...byId.get(id)!.deps);
    }
    return [...seen].map((id) => byId.get(id)!);
}

const DATA_STORES: Record<string, string[]> = {
    aws: ["aws:msk/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:docdb/cluster:Cluster"],
    azure: ["azure-native:eventhub:Namespace", "azure-native:redisenterprise:RedisEnterprise", "azure-native:cosmosdb:DatabaseAccount"],
};
const CLUSTERS = ["aws:eks/cluster:Cluster", "azure-native:containerservice:ManagedCluster"];

for (const stack of ["dev", "dev-azure"]) {
    describe(`the ${stack} stack's spin-up order`, () => {
        let tasks: ResourceTask[];
        before(async () => {
            tasks = planTasks(await planStack(stack), loadCreationTimes());
        });

        it("creates the data tier in parallel with the Kubernetes cluster", () => {
            const stores = tasks.filter((t) => Object.values(DATA_STORES).flat().includes(t.type));
            assert.strictEqual(stores.length, 3);
            for (const store of stores) {
                assert.deepStrictEqual(ancestors(tasks, store).filter((a) => CLUSTERS.includes(a.type)).map((a) => a.name), [], `${store.name} waits for the cluster`);
            }
        });
    });
}

describe("the dev-azure stack's data stores", () => {
    it("start as soon as the resource group exists, without waiting for the subnets", async () => {
        const tasks = planTasks(await planStack("dev-azure"), loadCreationTimes());
        for (const store of tasks.filter((t) => DATA_STORES.azure.includes(t.type))) {
            assert.deepStrictEqual(ancestors(tasks, store).map((a) => a.type), ["azure-native:resources:ResourceGroup"], store.name);
        }
    });
});
