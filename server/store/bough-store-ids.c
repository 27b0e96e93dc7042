/* bough-store-ids.c: the stable ids of the parts of a node that have no row of their own:
 * attributes (derived from the node's id and the attribute's name) and links (relationship
 * instances: an id kept in the link's properties, or derived for links written before ids
 * existed).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-store-internal.h"

/* A name-based UUID (the layout of RFC 4122 version 5: SHA-1 of the text,
 * version and variant bits set): the same text always gives the same id. */
char *
_bough_uuid_from_text (const char *text)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 b[20];
  gsize len = sizeof b;

  g_checksum_update (sum, (const guchar *) text, strlen (text));
  g_checksum_get_digest (sum, b, &len);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

/**
 * bough_store_attribute_id:
 * @node_id: a node's id
 * @attribute: the name of one of its attributes
 *
 * The stable id of an attribute: a name-based UUID (version 5 layout) of
 * the node's id and the attribute's name. It does not change with the
 * value, the branch or time, so clients that key attributes on their id
 * (as they do with Infrahub's attribute vertices) find them again.
 *
 * Returns: (transfer full): the id, in UUID form
 */
char *
bough_store_attribute_id (const char *node_id,
                          const char *attribute)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (node_id != NULL, NULL);
  g_return_val_if_fail (attribute != NULL, NULL);

  text = g_strconcat ("attribute\x1f", node_id, "\x1f", attribute, NULL);
  return _bough_uuid_from_text (text);
}

/* The id of a link: the one kept in its properties since it was made, or,
 * for a link written before links had ids, one derived from its ends and
 * its version (kept from then on when the link is rewritten). */
char *
_bough_link_id (const BoughRelRow *link)
{
  g_autofree char *text = NULL;

  if (link->props != NULL)
    {
      g_autoptr(JsonObject) props = _bough_json_parse_object (link->props);

      if (props != NULL && json_object_has_member (props, "id")
          && json_node_get_value_type (json_object_get_member (props, "id")) == G_TYPE_STRING)
        return g_strdup (json_object_get_string_member (props, "id"));
    }
  text = g_strdup_printf ("link\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT,
                          link->identifier, link->src, link->dst, link->from_stamp);
  return _bough_uuid_from_text (text);
}
