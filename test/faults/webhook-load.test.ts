import { describeWebhookLoad } from "../resilience/webhook-load.js";

describeWebhookLoad(500, 400_000);
