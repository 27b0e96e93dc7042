/* bough-bench-dataset.c: the benchmark's kinds (as read from the schema
 * library files) and the deterministic generator of its datasets.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <string.h>

#include "bough-bench-dataset.h"

#define N(a) G_N_ELEMENTS (a)

/* Attributes are listed in the order of the schema files, inherited ones
 * included; bough-bench-schema.c checks these lists against the loaded
 * schema when the schema engine is available. */
static const BoughBenchAttr tag_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
};

static const BoughBenchAttr manufacturer_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
};

static const BoughBenchAttr platform_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "nornir_platform", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "napalm_driver", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "netmiko_device_type", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "ansible_network_os", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "containerlab_os", BOUGH_BENCH_TYPE_TEXT, FALSE },
};
static const BoughBenchRel platform_rels[] = {
  { "manufacturer", "OrganizationManufacturer", FALSE },
};

static const BoughBenchAttr device_type_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "part_number", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "height", BOUGH_BENCH_TYPE_INT, FALSE },
  { "full_depth", BOUGH_BENCH_TYPE_BOOL, FALSE },
  { "weight", BOUGH_BENCH_TYPE_INT, FALSE },
};
static const BoughBenchRel device_type_rels[] = {
  { "manufacturer", "OrganizationManufacturer", FALSE },
  { "platform", "DcimPlatform", FALSE },
};

static const BoughBenchAttr country_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "shortname", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "timezone", BOUGH_BENCH_TYPE_TEXT, FALSE },
};

static const BoughBenchAttr metro_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "shortname", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
};
static const BoughBenchRel metro_rels[] = {
  { "parent", "LocationCountry", FALSE },
};

static const BoughBenchAttr site_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "shortname", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "facility_id", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "physical_address", BOUGH_BENCH_TYPE_TEXT, FALSE },
};
static const BoughBenchRel site_rels[] = {
  { "parent", "LocationMetro", FALSE },
  { "owner", NULL, FALSE },
};

static const BoughBenchAttr rack_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "shortname", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "facility_id", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "height", BOUGH_BENCH_TYPE_INT, FALSE },
};
static const BoughBenchRel rack_rels[] = {
  { "parent", "LocationSite", FALSE },
  { "owner", NULL, FALSE },
};

static const BoughBenchAttr device_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "os_version", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "position", BOUGH_BENCH_TYPE_INT, FALSE },
  { "serial", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "rack_face", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "status", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "role", BOUGH_BENCH_TYPE_TEXT, FALSE },
};
static const BoughBenchRel device_rels[] = {
  { "device_type", "DcimDeviceType", FALSE },
  { "platform", "DcimPlatform", FALSE },
  { "location", "LocationRack", FALSE },
  { "primary_address", NULL, FALSE },
  { "tags", "BuiltinTag", TRUE },
};

static const BoughBenchAttr interface_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "mtu", BOUGH_BENCH_TYPE_INT, FALSE },
  { "status", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "role", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "l2_mode", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "dot1q_id", BOUGH_BENCH_TYPE_INT, FALSE },
  { "mac_address", BOUGH_BENCH_TYPE_TEXT, FALSE },
};
static const BoughBenchRel interface_rels[] = {
  { "device", "DcimDevice", FALSE },
  { "connector", NULL, FALSE },
  { "tags", "BuiltinTag", TRUE },
};

static const BoughBenchAttr group_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
};

static const BoughBenchAttr item_attrs[] = {
  { "name", BOUGH_BENCH_TYPE_TEXT, TRUE },
  { "description", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "serial", BOUGH_BENCH_TYPE_TEXT, FALSE },
  { "weight", BOUGH_BENCH_TYPE_INT, FALSE },
  { "enabled", BOUGH_BENCH_TYPE_BOOL, FALSE },
};
static const BoughBenchRel item_rels[] = {
  { "group", "BenchGroup", FALSE },
};

static const BoughBenchKind kinds[BOUGH_BENCH_N_KINDS] = {
  [BOUGH_BENCH_KIND_TAG] = { "BuiltinTag", "builtin_tag", tag_attrs, N (tag_attrs), NULL, 0, NULL },
  [BOUGH_BENCH_KIND_MANUFACTURER] = { "OrganizationManufacturer", "organization_manufacturer",
                                      manufacturer_attrs, N (manufacturer_attrs), NULL, 0, NULL },
  [BOUGH_BENCH_KIND_PLATFORM] = { "DcimPlatform", "dcim_platform", platform_attrs,
                                  N (platform_attrs), platform_rels, N (platform_rels), NULL },
  [BOUGH_BENCH_KIND_DEVICE_TYPE] = { "DcimDeviceType", "dcim_device_type", device_type_attrs,
                                     N (device_type_attrs), device_type_rels,
                                     N (device_type_rels), "manufacturer" },
  [BOUGH_BENCH_KIND_COUNTRY] = { "LocationCountry", "location_country", country_attrs,
                                 N (country_attrs), NULL, 0, NULL },
  [BOUGH_BENCH_KIND_METRO] = { "LocationMetro", "location_metro", metro_attrs, N (metro_attrs),
                               metro_rels, N (metro_rels), NULL },
  [BOUGH_BENCH_KIND_SITE] = { "LocationSite", "location_site", site_attrs, N (site_attrs),
                              site_rels, N (site_rels), NULL },
  [BOUGH_BENCH_KIND_RACK] = { "LocationRack", "location_rack", rack_attrs, N (rack_attrs),
                              rack_rels, N (rack_rels), NULL },
  [BOUGH_BENCH_KIND_DEVICE] = { "DcimDevice", "dcim_device", device_attrs, N (device_attrs),
                                device_rels, N (device_rels), NULL },
  [BOUGH_BENCH_KIND_INTERFACE] = { "InterfacePhysical", "interface_physical", interface_attrs,
                                   N (interface_attrs), interface_rels, N (interface_rels),
                                   "device" },
  [BOUGH_BENCH_KIND_GROUP] = { "BenchGroup", "bench_group", group_attrs, N (group_attrs),
                               NULL, 0, NULL },
  [BOUGH_BENCH_KIND_ITEM] = { "BenchItem", "bench_item", item_attrs, N (item_attrs),
                              item_rels, N (item_rels), NULL },
};

/* The bench schema of the create workload: a kind with exactly five
 * attributes and one (mandatory, cardinality-one) relationship. */
const char bough_bench_schema_yaml[] =
  "version: \"1.0\"\n"
  "nodes:\n"
  "  - name: Group\n"
  "    namespace: Bench\n"
  "    description: A group of bench items.\n"
  "    human_friendly_id: [name__value]\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n"
  "      - {name: description, kind: Text, optional: true}\n"
  "  - name: Item\n"
  "    namespace: Bench\n"
  "    description: A bench item with five attributes and one relationship.\n"
  "    human_friendly_id: [name__value]\n"
  "    order_by: [name__value]\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n"
  "      - {name: description, kind: Text, optional: true}\n"
  "      - {name: serial, kind: Text}\n"
  "      - {name: weight, kind: Number}\n"
  "      - {name: enabled, kind: Boolean, default_value: true}\n"
  "    relationships:\n"
  "      - {name: group, peer: BenchGroup, cardinality: one, optional: false, kind: Attribute}\n";

static const char * const vendors[] = {
  "Arista", "Cisco", "Juniper", "Nokia", "Dell", "HPE", "Mikrotik", "Ubiquiti",
};
static const char * const device_status[] = { "active", "provisioning", "maintenance", "drained" };
static const char * const device_role[] = { "core", "edge", "cpe", "spine", "leaf", "tor" };
static const char * const iface_status[] = {
  "provisioning", "free", "active", "maintenance", "disabled", "deleted", "outage",
};
static const char * const iface_role[] = {
  "lag", "core", "cust", "access", "management", "peering", "upstream",
};
static const char * const l2_modes[] = { "access", "trunk", "trunk_all" };

struct _BoughBenchDataset
{
  guint64          seed;
  BoughBenchKindId kinds[BOUGH_BENCH_N_KINDS];
  guint            counts[BOUGH_BENCH_N_KINDS];
  guint            first[BOUGH_BENCH_N_KINDS];
  guint            n_kinds;
  guint            n_objects;
};

const BoughBenchKind *
bough_bench_kind (BoughBenchKindId id)
{
  g_return_val_if_fail (id < BOUGH_BENCH_N_KINDS, NULL);
  return &kinds[id];
}

guint64
bough_bench_mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static void
dataset_add_kind (BoughBenchDataset *ds,
                  BoughBenchKindId   kind,
                  guint              count)
{
  ds->kinds[ds->n_kinds++] = kind;
  ds->counts[kind] = count;
  ds->first[kind] = ds->n_objects;
  ds->n_objects += count;
}

BoughBenchDataset *
bough_bench_dataset_new_devices (guint64 seed,
                                 guint   devices)
{
  BoughBenchDataset *ds;

  g_return_val_if_fail (devices > 0, NULL);

  ds = g_new0 (BoughBenchDataset, 1);
  ds->seed = seed;
  /* Peers come before the objects that point at them. About 20 devices per
   * rack and 50 per site, as in a mid-size data centre. */
  dataset_add_kind (ds, BOUGH_BENCH_KIND_TAG, 20);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_MANUFACTURER, N (vendors));
  dataset_add_kind (ds, BOUGH_BENCH_KIND_PLATFORM, 16);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_DEVICE_TYPE, 32);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_COUNTRY, 4);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_METRO, 16);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_SITE, MAX (4, devices / 50));
  dataset_add_kind (ds, BOUGH_BENCH_KIND_RACK, MAX (4, (devices + 19) / 20));
  dataset_add_kind (ds, BOUGH_BENCH_KIND_DEVICE, devices);
  dataset_add_kind (ds, BOUGH_BENCH_KIND_INTERFACE, devices * BOUGH_BENCH_INTERFACES_PER_DEVICE);
  return ds;
}

BoughBenchDataset *
bough_bench_dataset_new_items (guint64 seed,
                               guint   items)
{
  BoughBenchDataset *ds;

  g_return_val_if_fail (items > 0, NULL);

  ds = g_new0 (BoughBenchDataset, 1);
  ds->seed = seed;
  dataset_add_kind (ds, BOUGH_BENCH_KIND_GROUP, MAX (1, items / 1000));
  dataset_add_kind (ds, BOUGH_BENCH_KIND_ITEM, items);
  return ds;
}

void
bough_bench_dataset_free (BoughBenchDataset *ds)
{
  g_free (ds);
}

guint
bough_bench_dataset_get_n_objects (BoughBenchDataset *ds)
{
  g_return_val_if_fail (ds != NULL, 0);
  return ds->n_objects;
}

guint
bough_bench_dataset_count_kind (BoughBenchDataset *ds,
                                BoughBenchKindId   kind)
{
  g_return_val_if_fail (ds != NULL, 0);
  g_return_val_if_fail (kind < BOUGH_BENCH_N_KINDS, 0);
  return ds->counts[kind];
}

guint
bough_bench_dataset_first_of (BoughBenchDataset *ds,
                              BoughBenchKindId   kind)
{
  g_return_val_if_fail (ds != NULL, 0);
  g_return_val_if_fail (kind < BOUGH_BENCH_N_KINDS, 0);
  return ds->first[kind];
}

const BoughBenchKindId *
bough_bench_dataset_get_kinds (BoughBenchDataset *ds,
                               guint             *n_kinds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  *n_kinds = ds->n_kinds;
  return ds->kinds;
}

static BoughBenchKindId
dataset_kind_of (BoughBenchDataset *ds,
                 guint              index)
{
  for (guint k = 0; k < ds->n_kinds; k++)
    {
      BoughBenchKindId kind = ds->kinds[k];

      if (index < ds->first[kind] + ds->counts[kind])
        return kind;
    }
  g_assert_not_reached ();
}

void
bough_bench_dataset_uuid (BoughBenchDataset *ds,
                          guint              index,
                          char               out[37])
{
  guint64 a = bough_bench_mix (ds->seed * 2 + ((guint64) index << 20));
  guint64 b = bough_bench_mix (a ^ index);

  /* Version 4, variant 1 bits, as a random UUID would have. */
  g_snprintf (out, 37, "%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (a >> 32), (guint) ((a >> 16) & 0xffff), (guint) (a & 0xfff),
              (guint) (0x8000 | ((b >> 48) & 0x3fff)), b & G_GUINT64_CONSTANT (0xffffffffffff));
}

static void
set_text (BoughBenchObject *obj,
          guint             attr,
          char             *value)
{
  obj->values[attr].set = TRUE;
  obj->values[attr].s = value;
}

static void
set_int (BoughBenchObject *obj,
         guint             attr,
         gint64            value)
{
  obj->values[attr].set = TRUE;
  obj->values[attr].i = value;
}

static void
set_peer (BoughBenchObject *obj,
          guint             rel,
          gint64            peer)
{
  g_assert (obj->n_peers[rel] < BOUGH_BENCH_MAX_PEERS);
  obj->peers[rel][obj->n_peers[rel]++] = peer;
}

void
bough_bench_object_clear (BoughBenchObject *obj)
{
  for (guint i = 0; i < BOUGH_BENCH_MAX_ATTRS; i++)
    g_free (obj->values[i].s);
  memset (obj, 0, sizeof *obj);
}

gboolean
bough_bench_object_set_text (BoughBenchObject *obj,
                             const char       *name,
                             const char       *value)
{
  const BoughBenchKind *kind;

  g_return_val_if_fail (obj != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  kind = bough_bench_kind (obj->kind);
  for (guint a = 0; a < kind->n_attrs; a++)
    if (g_str_equal (kind->attrs[a].name, name) && kind->attrs[a].type == BOUGH_BENCH_TYPE_TEXT)
      {
        g_free (obj->values[a].s);
        obj->values[a].s = g_strdup (value);
        obj->values[a].set = value != NULL;
        return TRUE;
      }
  return FALSE;
}

static char *
dataset_name (BoughBenchDataset *ds,
              BoughBenchKindId   kind,
              guint              n)
{
  switch (kind)
    {
    case BOUGH_BENCH_KIND_TAG:
      return g_strdup_printf ("tag-%02u", n);
    case BOUGH_BENCH_KIND_MANUFACTURER:
      return g_strdup (vendors[n % N (vendors)]);
    case BOUGH_BENCH_KIND_PLATFORM:
      return g_strdup_printf ("%s-os-%u", vendors[n % N (vendors)], n);
    case BOUGH_BENCH_KIND_DEVICE_TYPE:
      return g_strdup_printf ("%s-model-%u", vendors[n % N (vendors)], n);
    case BOUGH_BENCH_KIND_COUNTRY:
      return g_strdup_printf ("C%02u", n);
    case BOUGH_BENCH_KIND_METRO:
      return g_strdup_printf ("M%03u", n);
    case BOUGH_BENCH_KIND_SITE:
      return g_strdup_printf ("S%04u", n);
    case BOUGH_BENCH_KIND_RACK:
      return g_strdup_printf ("R%05u", n);
    case BOUGH_BENCH_KIND_DEVICE:
      return g_strdup_printf ("dev-%05u", n);
    case BOUGH_BENCH_KIND_INTERFACE:
      return g_strdup_printf ("Ethernet%u", n % BOUGH_BENCH_INTERFACES_PER_DEVICE + 1);
    case BOUGH_BENCH_KIND_GROUP:
      return g_strdup_printf ("group-%04u", n);
    case BOUGH_BENCH_KIND_ITEM:
      return g_strdup_printf ("item-%07u", n);
    case BOUGH_BENCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

char *
bough_bench_dataset_name (BoughBenchDataset *ds,
                          guint              index)
{
  BoughBenchKindId kind;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (index < ds->n_objects, NULL);

  kind = dataset_kind_of (ds, index);
  return dataset_name (ds, kind, index - ds->first[kind]);
}

/* The peer of kind @peer_kind for a child numbered @n among @n_children,
 * spreading children evenly over the peers. */
static gint64
spread (BoughBenchDataset *ds,
        BoughBenchKindId   peer_kind,
        guint              n,
        guint              n_children)
{
  guint64 peers = ds->counts[peer_kind];

  return ds->first[peer_kind] + (guint) ((guint64) n * peers / MAX (n_children, 1));
}

void
bough_bench_dataset_get (BoughBenchDataset *ds,
                         guint              index,
                         BoughBenchObject  *obj)
{
  BoughBenchKindId kind;
  guint n;
  guint64 r;

  g_return_if_fail (ds != NULL);
  g_return_if_fail (index < ds->n_objects);

  bough_bench_object_clear (obj);
  kind = dataset_kind_of (ds, index);
  n = index - ds->first[kind];
  r = bough_bench_mix (ds->seed ^ bough_bench_mix (index));
  obj->kind = kind;
  obj->index = index;
  set_text (obj, 0, dataset_name (ds, kind, n));

  switch (kind)
    {
    case BOUGH_BENCH_KIND_TAG:
      set_text (obj, 1, g_strdup_printf ("Tag number %u", n));
      break;
    case BOUGH_BENCH_KIND_MANUFACTURER:
      set_text (obj, 1, g_strdup_printf ("%s, a network equipment maker", vendors[n]));
      break;
    case BOUGH_BENCH_KIND_PLATFORM:
      set_text (obj, 1, g_strdup_printf ("Operating system %u", n));
      set_text (obj, 3, g_strdup_printf ("drv%u", n % 5));
      set_text (obj, 4, g_strdup_printf ("%s_os", vendors[n % N (vendors)]));
      set_peer (obj, 0, ds->first[BOUGH_BENCH_KIND_MANUFACTURER] + n % N (vendors));
      break;
    case BOUGH_BENCH_KIND_DEVICE_TYPE:
      set_text (obj, 2, g_strdup_printf ("PN-%06u", (guint) (r % 1000000)));
      set_int (obj, 3, 1 + (gint64) (r >> 20) % 2);
      set_int (obj, 4, (r >> 24) & 1);
      set_int (obj, 5, 5 + (gint64) (r >> 28) % 20);
      set_peer (obj, 0, ds->first[BOUGH_BENCH_KIND_MANUFACTURER] + n % N (vendors));
      set_peer (obj, 1, ds->first[BOUGH_BENCH_KIND_PLATFORM]
                        + n % ds->counts[BOUGH_BENCH_KIND_PLATFORM]);
      break;
    case BOUGH_BENCH_KIND_COUNTRY:
      g_free (obj->values[0].s);
      obj->values[0].s = g_strdup_printf ("Country %u", n);
      set_text (obj, 1, dataset_name (ds, kind, n));
      set_text (obj, 3, g_strdup ("UTC"));
      break;
    case BOUGH_BENCH_KIND_METRO:
    case BOUGH_BENCH_KIND_SITE:
    case BOUGH_BENCH_KIND_RACK:
      {
        BoughBenchKindId parent = kind - 1;

        g_free (obj->values[0].s);
        obj->values[0].s = g_strdup_printf ("%s %u",
                                            kind == BOUGH_BENCH_KIND_METRO ? "Metro" :
                                            kind == BOUGH_BENCH_KIND_SITE ? "Site" : "Rack", n);
        set_text (obj, 1, dataset_name (ds, kind, n));
        set_peer (obj, 0, spread (ds, parent, n, ds->counts[kind]));
        if (kind == BOUGH_BENCH_KIND_SITE)
          set_text (obj, 4, g_strdup_printf ("%u Data Centre Road", n + 1));
        if (kind == BOUGH_BENCH_KIND_RACK)
          set_int (obj, 4, 42);
      }
      break;
    case BOUGH_BENCH_KIND_DEVICE:
      {
        guint dt = (guint) (r % ds->counts[BOUGH_BENCH_KIND_DEVICE_TYPE]);

        set_text (obj, 1, g_strdup_printf ("Device %u of the bench", n));
        set_text (obj, 2, g_strdup_printf ("%u.%u.%u", 4 + (guint) (r >> 8) % 3,
                                           (guint) (r >> 12) % 10, (guint) (r >> 16) % 20));
        set_int (obj, 3, 1 + n % 40);
        set_text (obj, 4, g_strdup_printf ("SN%010" G_GINT64_MODIFIER "u",
                                           (r >> 20) % G_GUINT64_CONSTANT (10000000000)));
        set_text (obj, 5, g_strdup ((r >> 40) & 1 ? "rear" : "front"));
        set_text (obj, 6, g_strdup (device_status[(r >> 42) % N (device_status)]));
        set_text (obj, 7, g_strdup (device_role[(r >> 45) % N (device_role)]));
        set_peer (obj, 0, ds->first[BOUGH_BENCH_KIND_DEVICE_TYPE] + dt);
        set_peer (obj, 1, ds->first[BOUGH_BENCH_KIND_PLATFORM]
                          + dt % ds->counts[BOUGH_BENCH_KIND_PLATFORM]);
        set_peer (obj, 2, spread (ds, BOUGH_BENCH_KIND_RACK, n, ds->counts[kind]));
        set_peer (obj, 4, ds->first[BOUGH_BENCH_KIND_TAG] + n % 20);
        set_peer (obj, 4, ds->first[BOUGH_BENCH_KIND_TAG] + (n / 20 + 7) % 20);
        if (obj->peers[4][0] == obj->peers[4][1])
          obj->n_peers[4] = 1;
      }
      break;
    case BOUGH_BENCH_KIND_INTERFACE:
      {
        guint port = n % BOUGH_BENCH_INTERFACES_PER_DEVICE;

        set_text (obj, 1, g_strdup_printf ("port %u to rack peer %u", port + 1,
                                           (guint) (r % 1000)));
        set_int (obj, 2, port < 40 ? 1514 : 9000);
        set_text (obj, 3, g_strdup (iface_status[(r >> 10) % N (iface_status)]));
        if (port >= 44)
          set_text (obj, 4, g_strdup (iface_role[(r >> 13) % N (iface_role)]));
        set_text (obj, 5, g_strdup (l2_modes[(r >> 16) % N (l2_modes)]));
        if (port % 8 == 0)
          set_int (obj, 6, 100 + (gint64) (r >> 20) % 3900);
        set_text (obj, 7, g_strdup_printf ("02:%02x:%02x:%02x:%02x:%02x",
                                           (guint) (r >> 24) & 0xff, (guint) (r >> 32) & 0xff,
                                           (guint) (r >> 40) & 0xff, (guint) (r >> 48) & 0xff,
                                           port));
        set_peer (obj, 0, ds->first[BOUGH_BENCH_KIND_DEVICE]
                          + n / BOUGH_BENCH_INTERFACES_PER_DEVICE);
        if (port % 4 == 0)
          set_peer (obj, 2, ds->first[BOUGH_BENCH_KIND_TAG] + (r >> 56) % 20);
      }
      break;
    case BOUGH_BENCH_KIND_GROUP:
      set_text (obj, 1, g_strdup_printf ("Group %u of bench items", n));
      break;
    case BOUGH_BENCH_KIND_ITEM:
      set_text (obj, 1, g_strdup_printf ("Bench item %u", n));
      set_text (obj, 2, g_strdup_printf ("SN%012" G_GINT64_MODIFIER "u",
                                         (r >> 8) % G_GUINT64_CONSTANT (1000000000000)));
      set_int (obj, 3, (gint64) (r >> 20) % 100000);
      set_int (obj, 4, (r >> 50) & 1);
      set_peer (obj, 0, spread (ds, BOUGH_BENCH_KIND_GROUP, n, ds->counts[kind]));
      break;
    case BOUGH_BENCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}
