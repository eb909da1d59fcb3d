import { describeWebhookLoad } from "../resilience/webhook-load.js";

describeWebhookLoad(300, 300_000);
