package io.flowpay.queue;

import java.util.List;

/** Tasks claimed back, and where the next page starts ("" when there is none). */
public record Claimed(List<Delivery> deliveries, String next) {}
