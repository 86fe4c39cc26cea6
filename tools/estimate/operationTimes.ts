/**
 * Update and delete times per resource type (operation-times.json), next to
 * the creation times of creation-times.json: what a transition between two
 * plans costs, figure by figure, each with its public source.
 */
import * as fs from "fs";
import * as path from "path";
import { CreationTime, CreationTimes, PricedBy, PricedType, TimeTable, figureProblems, loadCreationTimes, priceType, timeTableProblems } from "./creationTimes";

/** What the engine does to one resource in a transition. */
export const Operation = {
    Create: "create",
    Update: "update",
    Delete: "delete",
    /** Unchanged: the engine's `same` step, no cloud call. */
    Same: "same",
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

/** The figures of operation-times.json. */
export interface OperationTimesFile {
    readonly update: TimeTable;
    readonly delete: TimeTable;
    /** A resource with `retainOnDelete`: dropped from state, not deleted. */
    readonly retained: CreationTime;
    /** A resource `deletedWith` another that is deleted too: no delete call of its own. */
    readonly deletedWith: CreationTime;
}

/** Every figure a transition estimate needs. */
export interface OperationTimes extends OperationTimesFile {
    readonly create: CreationTimes;
}

export const OPERATION_TIMES_FILE = path.join(__dirname, "operation-times.json");

/** Every problem of the update and delete figures; empty when valid. */
export function operationTableProblems(file: OperationTimesFile): string[] {
    return [
        ...timeTableProblems(file.update, "update."),
        ...timeTableProblems(file.delete, "delete."),
        ...figureProblems("retained", file.retained),
        ...figureProblems("deletedWith", file.deletedWith),
    ];
}

/** Reads and checks both tables; throws listing every problem. */
export function loadOperationTimes(file = OPERATION_TIMES_FILE, create: CreationTimes = loadCreationTimes()): OperationTimes {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as OperationTimesFile;
    const problems = operationTableProblems(parsed);
    if (problems.length > 0) throw new Error(`${path.basename(file)} is invalid:\n  ${problems.join("\n  ")}`);
    return { ...parsed, create };
}

/** The typical time of one operation on a type; `same` costs nothing. */
export function priceOperation(times: OperationTimes, op: Operation, type: string): PricedType {
    if (op === Operation.Same) return { seconds: 0, via: PricedBy.Type };
    return priceType(op === Operation.Create ? times.create : op === Operation.Update ? times.update : times.delete, type);
}
