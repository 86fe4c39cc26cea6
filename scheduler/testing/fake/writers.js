/*
 * The services writing into the stack's data while they run, on the fake cloud's own clock.
 *
 * Opt-in: only a cloud with a `clock` (an ISO time) has one. Each CLI call, each delete step and each
 * continuous-backup answer moves it on (`tick`); while a stack's state holds a resource the program marks
 * `writes` (a Deployment of the services), every live Cosmos DB store of that stack whose writes are dated
 * (continuousBackup.ts) gets a write at that time, its marker `W@<time>`. Deleting those resources stops the
 * writes, as deleting a Deployment stops its pods.
 */
"use strict";

const COSMOS = "azure-native:cosmosdb:DatabaseAccount";

/** The cloud's time: its clock when it has one, the real one otherwise. */
const cloudNow = (b) => (b.cloud.clock ? new Date(b.cloud.clock) : new Date());

function tick(b, ms) {
    if (!b.cloud.clock) return;
    b.cloud.clock = new Date(Date.parse(b.cloud.clock) + ms).toISOString();
    for (const s of Object.values(b.stacks)) {
        if (!s.resources.some((r) => r.writes)) continue;
        for (const r of s.resources.filter((x) => x.type === COSMOS)) {
            const store = b.cloud.stores[r.id];
            if (!store || !Array.isArray(store.writes)) continue;
            const marker = `W@${b.cloud.clock}`;
            store.writes.push({ at: b.cloud.clock, marker });
            store.marker = marker;
            b.cloud.lastWrite = { store: store.name, at: b.cloud.clock, marker };
        }
    }
}

module.exports = { cloudNow, tick };
