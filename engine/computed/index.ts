/**
 * All per-type computed attributes the mocks know, merged into one table.
 * Each concern keeps its own table in its own file.
 */
import { awsComputed } from "./aws";
import { azureComputed } from "./azure";
import { bastionComputed } from "./bastion";
import { kafkaComputed } from "./kafka";
import { kubernetesComputed } from "./kubernetes";
import { mongoComputed } from "./mongo";
import { redisComputed } from "./redis";
import { ComputedTable } from "./types";

export const COMPUTED: ComputedTable = {
    ...awsComputed,
    ...azureComputed,
    ...bastionComputed,
    ...kafkaComputed,
    ...kubernetesComputed,
    ...mongoComputed,
    ...redisComputed,
};
