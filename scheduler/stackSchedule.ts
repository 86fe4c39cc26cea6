/**
 * A stack's schedule from its `Pulumi.<stack>.yaml`, read without the CLI so
 * a dry run, a report or the cron derivation work anywhere.
 */
import { Problems } from "../components/common/validation";
import { ScheduleConfig, parseSchedule } from "../stacks/config/schedule";
import { ConfigObject } from "../stacks/config/reader";
import { parseSnapshots } from "../stacks/config/snapshots";
import { loadStackFiles } from "../engine/stackFiles";

export interface StackSchedule {
    readonly stack: string;
    /** `intergalactic:environment`, e.g. `dev`. */
    readonly environment: string;
    readonly schedule: ScheduleConfig;
    /** `intergalactic:snapshots.dropDataOnTeardown`: stores a teardown may delete without a final snapshot. */
    readonly dropDataOnTeardown: readonly string[];
    /** The data stores the config declares (the enabled `mongo`, `redis` and `kafka` sections, by their `name`). */
    readonly dataStores: readonly string[];
}

/** The sections that make a data store, with the default name of each (stacks/config/{mongo,redis,kafka}.ts). */
const STORE_SECTIONS = [["mongo", "users"], ["redis", "cache"], ["kafka", "kafka"]] as const;

/** A section that makes a data store: `mongo` the user database, `redis` the cache, `kafka` the event bus. */
export type StoreSection = (typeof STORE_SECTIONS)[number][0];

/** The data stores the config (the project's namespace) declares, by their `name`, each with its section. */
export function declaredStores(namespace: ConfigObject): { readonly name: string; readonly section: StoreSection }[] {
    return STORE_SECTIONS.flatMap(([section, name]) => {
        const obj = namespace.object(section);
        return obj.boolean("enabled", true) ? [{ name: obj.string("name", name), section }] : [];
    });
}

export function loadStackSchedule(root: string, stack: string): StackSchedule {
    const files = loadStackFiles(root, stack);
    const problems = new Problems(`stack ${stack} config`);
    // Only the keys the scheduler needs: another section's mistake is for `pulumi up` to report.
    const namespace = ConfigObject.namespace(files.project, files.config, problems);
    const schedule = parseSchedule(namespace.object("schedule"));
    const snapshots = parseSnapshots(namespace.object("snapshots"));
    const dataStores = declaredStores(namespace).map((s) => s.name);
    problems.throwIfAny();
    return { stack, environment: files.config[`${files.project}:environment`] ?? "", schedule, dropDataOnTeardown: snapshots.dropDataOnTeardown, dataStores };
}
