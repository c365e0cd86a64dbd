ctx.set('sync_status', 'updated');
log.info('updated', response.id, 'on attempt', carry.attempt);
