/* test-core-schema.c: tests of the built-in core schema (shared/schema/core):
 * it builds, every kind of reference §1.7 is there with its key attributes and
 * relationships, and the public schema library loads on top of it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-test"

#include "config.h"

#include <stdarg.h>

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bough-error.h"
#include "schema/bough-schema.h"

#define ANY_BRANCH ((BoughBranchSupport) -1)

typedef struct
{
  const char         *kind;
  gboolean            is_generic;
  BoughBranchSupport  branch;
} KindCase;

/* Every built-in kind, with the branch support reference §1.7 gives it. */
static const KindCase kind_cases[] = {
  { "LineageOwner", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "LineageSource", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreNode", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "BuiltinIPNamespace", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "BuiltinIPPrefix", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "BuiltinIPAddress", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "BuiltinTag", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "IpamNamespace", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGenericAccount", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreBasePermission", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreCredential", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreAccount", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "InternalAccountToken", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "InternalRefreshToken", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreAccountGroup", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreAccountRole", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGlobalPermission", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreObjectPermission", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CorePasswordCredential", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGlobalPreference", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreUserPreference", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGroup", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreStandardGroup", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGeneratorGroup", FALSE, BOUGH_BRANCH_SUPPORT_LOCAL },
  { "CoreGraphQLQueryGroup", FALSE, BOUGH_BRANCH_SUPPORT_LOCAL },
  { "CoreRepositoryGroup", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGenericRepository", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreTransformation", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGraphQLQuery", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreRepository", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreReadOnlyRepository", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreTransformJinja2", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreTransformPython", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreArtifactDefinition", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreArtifact", FALSE, BOUGH_BRANCH_SUPPORT_LOCAL },
  { "CoreCheckDefinition", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGeneratorDefinition", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreGeneratorInstance", FALSE, BOUGH_BRANCH_SUPPORT_LOCAL },
  { "CoreComment", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreThread", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreValidator", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreCheck", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreProposedChange", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreProposedChangeApproval", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreProposedChangeReject", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreChangeThread", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreFileThread", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreArtifactThread", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreObjectThread", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreChangeComment", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreThreadComment", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreDataValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreRepositoryValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreUserValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreSchemaValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreArtifactValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGeneratorValidator", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreStandardCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreDataCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreSchemaCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreFileCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreArtifactCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGeneratorCheck", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreResourcePool", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreWeightedPoolResource", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreIPPrefixPool", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreIPAddressPool", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreNumberPool", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreWebhook", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreStandardWebhook", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreCustomWebhook", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreKeyValue", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreTriggerRule", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreAction", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreNodeTriggerMatch", TRUE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreNodeTriggerRule", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreNodeTriggerAttributeMatch", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreNodeTriggerRelationshipMatch", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGroupTriggerRule", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGeneratorAction", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreGroupAction", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreStaticKeyValue", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreEnvKeyValue", FALSE, BOUGH_BRANCH_SUPPORT_AGNOSTIC },
  { "CoreMenu", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreMenuItem", FALSE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreFileObject", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreProfile", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreObjectTemplate", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreObjectComponentTemplate", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreTaskTarget", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
  { "CoreArtifactTarget", TRUE, BOUGH_BRANCH_SUPPORT_AWARE },
};

typedef struct
{
  const char         *kind;
  const char         *name;
  BoughAttributeKind  attr_kind;
  gboolean            optional;
  gboolean            unique;
  gboolean            read_only;
  BoughBranchSupport  branch;        /* ANY_BRANCH: not checked */
  const char         *default_json;  /* NULL: must have no default */
} AttrCase;

#define K(x) BOUGH_ATTRIBUTE_KIND_##x
#define AWARE BOUGH_BRANCH_SUPPORT_AWARE
#define AGNOSTIC BOUGH_BRANCH_SUPPORT_AGNOSTIC
#define LOCAL BOUGH_BRANCH_SUPPORT_LOCAL

/* kind, attribute, attribute kind, optional, unique, read_only, branch, default */
static const AttrCase attr_cases[] = {
  { "BuiltinTag", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "BuiltinTag", "description", K (TEXT), TRUE, FALSE, FALSE, AWARE, NULL },
  { "BuiltinIPNamespace", "name", K (TEXT), FALSE, TRUE, FALSE, ANY_BRANCH, NULL },
  { "IpamNamespace", "name", K (TEXT), FALSE, TRUE, FALSE, ANY_BRANCH, NULL },
  { "IpamNamespace", "default", K (BOOLEAN), TRUE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "BuiltinIPPrefix", "prefix", K (IP_NETWORK), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },
  { "BuiltinIPPrefix", "member_type", K (DROPDOWN), FALSE, FALSE, FALSE, ANY_BRANCH, "\"address\"" },
  { "BuiltinIPPrefix", "is_pool", K (BOOLEAN), FALSE, FALSE, FALSE, ANY_BRANCH, "false" },
  { "BuiltinIPPrefix", "is_top_level", K (BOOLEAN), TRUE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "BuiltinIPPrefix", "utilization", K (NUMBER), TRUE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "BuiltinIPPrefix", "netmask", K (TEXT), TRUE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "BuiltinIPPrefix", "broadcast_address", K (TEXT), TRUE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "BuiltinIPAddress", "address", K (IP_HOST), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },

  { "CoreGenericAccount", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreGenericAccount", "password", K (HASHED_PASSWORD), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreGenericAccount", "label", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreGenericAccount", "account_type", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"User\"" },
  { "CoreGenericAccount", "status", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, "\"active\"" },
  { "CoreGenericAccount", "role", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"read-only\"" },
  { "CoreAccount", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreAccount", "password", K (HASHED_PASSWORD), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "InternalAccountToken", "name", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "InternalAccountToken", "token", K (HASHED_PASSWORD), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "InternalAccountToken", "expiration", K (DATE_TIME), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "InternalRefreshToken", "expiration", K (DATE_TIME), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreAccountRole", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreAccountGroup", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreBasePermission", "description", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreBasePermission", "identifier", K (TEXT), TRUE, FALSE, TRUE, AGNOSTIC, NULL },
  { "CoreBasePermission", "decision", K (NUMBER), FALSE, FALSE, FALSE, AGNOSTIC, "6" },
  { "CoreGlobalPermission", "action", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreGlobalPermission", "decision", K (NUMBER), FALSE, FALSE, FALSE, AGNOSTIC, "6" },
  { "CoreObjectPermission", "namespace", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreObjectPermission", "name", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreObjectPermission", "action", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"any\"" },
  { "CoreCredential", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CorePasswordCredential", "username", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CorePasswordCredential", "password", K (PASSWORD), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreGlobalPreference", "date_format", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreUserPreference", "timezone", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },

  { "CoreGroup", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreGroup", "label", K (TEXT), TRUE, FALSE, FALSE, AWARE, NULL },
  { "CoreGroup", "group_type", K (TEXT), FALSE, FALSE, FALSE, AWARE, "\"default\"" },
  { "CoreStandardGroup", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreGraphQLQueryGroup", "parameters", K (JSON), TRUE, FALSE, FALSE, LOCAL, NULL },
  { "CoreRepositoryGroup", "content", K (DROPDOWN), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },

  { "CoreGraphQLQuery", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreGraphQLQuery", "query", K (TEXT_AREA), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreGraphQLQuery", "variables", K (JSON), TRUE, FALSE, TRUE, AWARE, NULL },
  { "CoreGraphQLQuery", "operations", K (LIST), TRUE, FALSE, TRUE, AWARE, NULL },
  { "CoreGraphQLQuery", "models", K (LIST), TRUE, FALSE, TRUE, AWARE, NULL },
  { "CoreGraphQLQuery", "depth", K (NUMBER), TRUE, FALSE, TRUE, AWARE, NULL },
  { "CoreGraphQLQuery", "height", K (NUMBER), TRUE, FALSE, TRUE, AWARE, NULL },
  { "CoreGenericRepository", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreGenericRepository", "location", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreGenericRepository", "internal_status", K (DROPDOWN), FALSE, FALSE, FALSE, LOCAL, "\"inactive\"" },
  { "CoreGenericRepository", "operational_status", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, "\"unknown\"" },
  { "CoreGenericRepository", "sync_status", K (DROPDOWN), FALSE, FALSE, FALSE, LOCAL, "\"unknown\"" },
  { "CoreRepository", "default_branch", K (TEXT), FALSE, FALSE, FALSE, ANY_BRANCH, "\"main\"" },
  { "CoreRepository", "commit", K (TEXT), TRUE, FALSE, FALSE, LOCAL, NULL },
  { "CoreRepository", "internal_status", K (DROPDOWN), FALSE, FALSE, FALSE, LOCAL, "\"inactive\"" },
  { "CoreReadOnlyRepository", "ref", K (TEXT), FALSE, FALSE, FALSE, AWARE, "\"main\"" },
  { "CoreReadOnlyRepository", "commit", K (TEXT), TRUE, FALSE, FALSE, AWARE, NULL },
  { "CoreTransformation", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreTransformation", "timeout", K (NUMBER), FALSE, FALSE, FALSE, AWARE, "10" },
  { "CoreTransformJinja2", "template_path", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreTransformJinja2", "timeout", K (NUMBER), FALSE, FALSE, FALSE, AWARE, "10" },
  { "CoreTransformPython", "file_path", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreTransformPython", "class_name", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreTransformPython", "convert_query_response", K (BOOLEAN), TRUE, FALSE, FALSE, AWARE, "false" },
  { "CoreArtifactDefinition", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreArtifactDefinition", "artifact_name", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreArtifactDefinition", "parameters", K (JSON), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreArtifactDefinition", "content_type", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreArtifact", "name", K (TEXT), FALSE, FALSE, FALSE, LOCAL, NULL },
  { "CoreArtifact", "status", K (TEXT), FALSE, FALSE, FALSE, LOCAL, NULL },
  { "CoreArtifact", "checksum", K (TEXT), TRUE, FALSE, FALSE, LOCAL, NULL },
  { "CoreArtifact", "storage_id", K (TEXT), TRUE, FALSE, FALSE, LOCAL, NULL },
  { "CoreArtifact", "parameters", K (JSON), TRUE, FALSE, FALSE, LOCAL, NULL },
  { "CoreCheckDefinition", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreCheckDefinition", "timeout", K (NUMBER), FALSE, FALSE, FALSE, AWARE, "10" },
  { "CoreCheckDefinition", "parameters", K (JSON), TRUE, FALSE, FALSE, AWARE, NULL },
  { "CoreGeneratorDefinition", "name", K (TEXT), FALSE, TRUE, FALSE, AWARE, NULL },
  { "CoreGeneratorDefinition", "parameters", K (JSON), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreGeneratorDefinition", "file_path", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreGeneratorDefinition", "class_name", K (TEXT), FALSE, FALSE, FALSE, AWARE, NULL },
  { "CoreGeneratorDefinition", "execute_in_proposed_change", K (BOOLEAN), TRUE, FALSE, FALSE, AWARE, "true" },
  { "CoreGeneratorDefinition", "execute_after_merge", K (BOOLEAN), TRUE, FALSE, FALSE, AWARE, "true" },
  { "CoreGeneratorInstance", "name", K (TEXT), FALSE, FALSE, FALSE, LOCAL, NULL },
  { "CoreGeneratorInstance", "status", K (TEXT), FALSE, FALSE, FALSE, LOCAL, NULL },

  { "CoreProposedChange", "name", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreProposedChange", "description", K (TEXT_AREA), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreProposedChange", "source_branch", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreProposedChange", "destination_branch", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreProposedChange", "state", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, "\"open\"" },
  { "CoreProposedChange", "is_draft", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "false" },
  { "CoreProposedChange", "total_comments", K (NUMBER), TRUE, FALSE, TRUE, AGNOSTIC, NULL },
  { "CoreThread", "resolved", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "false" },
  { "CoreThread", "created_at", K (DATE_TIME), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreFileThread", "line_number", K (NUMBER), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreObjectThread", "object_path", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreComment", "text", K (TEXT_AREA), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreThreadComment", "text", K (TEXT_AREA), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreValidator", "state", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"queued\"" },
  { "CoreValidator", "conclusion", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"unknown\"" },
  { "CoreValidator", "started_at", K (DATE_TIME), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreCheck", "origin", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreCheck", "kind", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreCheck", "severity", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, "\"info\"" },
  { "CoreCheck", "message", K (TEXT_AREA), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreDataCheck", "conflicts", K (JSON), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreDataCheck", "keep_branch", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreFileCheck", "files", K (LIST), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreArtifactCheck", "changed", K (BOOLEAN), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreGeneratorCheck", "instance", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },

  { "CoreResourcePool", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreIPPrefixPool", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreIPPrefixPool", "default_prefix_length", K (NUMBER), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreIPPrefixPool", "default_member_type", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, "\"prefix\"" },
  { "CoreIPPrefixPool", "default_prefix_type", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreIPAddressPool", "default_address_type", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreIPAddressPool", "default_prefix_length", K (NUMBER), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNumberPool", "node", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNumberPool", "node_attribute", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNumberPool", "start_range", K (NUMBER), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNumberPool", "end_range", K (NUMBER), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNumberPool", "pool_type", K (TEXT), FALSE, FALSE, TRUE, AGNOSTIC, "\"User\"" },
  { "CoreWeightedPoolResource", "allocation_weight", K (NUMBER), TRUE, FALSE, FALSE, ANY_BRANCH, NULL },

  { "CoreWebhook", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreWebhook", "url", K (URL), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreWebhook", "validate_certificates", K (BOOLEAN), TRUE, FALSE, FALSE, AGNOSTIC, "true" },
  { "CoreWebhook", "event_type", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, "\"all\"" },
  { "CoreWebhook", "branch_scope", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, "\"default_branch\"" },
  { "CoreWebhook", "node_kind", K (TEXT), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreStandardWebhook", "shared_key", K (PASSWORD), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreStandardWebhook", "url", K (URL), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreCustomWebhook", "shared_key", K (PASSWORD), TRUE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreKeyValue", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreKeyValue", "key", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreEnvKeyValue", "value", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },

  { "CoreTriggerRule", "name", K (TEXT), FALSE, TRUE, FALSE, AGNOSTIC, NULL },
  { "CoreTriggerRule", "active", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "true" },
  { "CoreTriggerRule", "branch_scope", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, "\"default_branch\"" },
  { "CoreNodeTriggerRule", "node_kind", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNodeTriggerRule", "mutation_action", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNodeTriggerAttributeMatch", "attribute_name", K (TEXT), FALSE, FALSE, FALSE, AGNOSTIC, NULL },
  { "CoreNodeTriggerAttributeMatch", "value_match", K (DROPDOWN), FALSE, FALSE, FALSE, AGNOSTIC, "\"value\"" },
  { "CoreNodeTriggerRelationshipMatch", "added", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "true" },
  { "CoreGroupTriggerRule", "members_added", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "true" },
  { "CoreGroupAction", "add_members", K (BOOLEAN), FALSE, FALSE, FALSE, AGNOSTIC, "true" },

  { "CoreMenu", "namespace", K (TEXT), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },
  { "CoreMenu", "name", K (TEXT), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },
  { "CoreMenu", "kind", K (TEXT), TRUE, FALSE, FALSE, ANY_BRANCH, NULL },
  { "CoreMenu", "path", K (TEXT), TRUE, FALSE, FALSE, ANY_BRANCH, NULL },
  { "CoreMenu", "protected", K (BOOLEAN), FALSE, FALSE, TRUE, ANY_BRANCH, "false" },
  { "CoreMenu", "order_weight", K (NUMBER), FALSE, FALSE, FALSE, ANY_BRANCH, "2000" },
  { "CoreMenu", "section", K (TEXT), FALSE, FALSE, FALSE, ANY_BRANCH, "\"object\"" },
  { "CoreMenuItem", "label", K (TEXT), TRUE, FALSE, FALSE, ANY_BRANCH, NULL },

  { "CoreFileObject", "file_name", K (TEXT), FALSE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "CoreFileObject", "checksum", K (TEXT), FALSE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "CoreFileObject", "file_size", K (NUMBER), FALSE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "CoreFileObject", "file_type", K (TEXT), FALSE, FALSE, TRUE, ANY_BRANCH, NULL },
  { "CoreFileObject", "storage_id", K (TEXT), FALSE, FALSE, TRUE, ANY_BRANCH, NULL },

  { "CoreProfile", "profile_name", K (TEXT), FALSE, TRUE, FALSE, ANY_BRANCH, NULL },
  { "CoreProfile", "profile_priority", K (NUMBER), TRUE, FALSE, FALSE, ANY_BRANCH, "1000" },
  { "CoreObjectTemplate", "template_name", K (TEXT), FALSE, TRUE, FALSE, ANY_BRANCH, NULL },
  { "CoreObjectComponentTemplate", "template_name", K (TEXT), FALSE, FALSE, FALSE, ANY_BRANCH, NULL },
};

typedef struct
{
  const char            *kind;
  const char            *name;
  const char            *peer;
  BoughCardinality       cardinality;
  gboolean               optional;
  BoughRelationshipKind  rel_kind;
  const char            *identifier;  /* NULL: not checked */
} RelCase;

#define ONE BOUGH_CARDINALITY_ONE
#define MANY BOUGH_CARDINALITY_MANY
#define R(x) BOUGH_RELATIONSHIP_KIND_##x

/* kind, relationship, peer, cardinality, optional, relationship kind, identifier */
static const RelCase rel_cases[] = {
  { "BuiltinIPNamespace", "ip_prefixes", "BuiltinIPPrefix", MANY, TRUE, R (GENERIC), "ip_namespace__ip_prefix" },
  { "BuiltinIPNamespace", "ip_addresses", "BuiltinIPAddress", MANY, TRUE, R (GENERIC), "ip_namespace__ip_address" },
  { "IpamNamespace", "ip_prefixes", "BuiltinIPPrefix", MANY, TRUE, R (GENERIC), "ip_namespace__ip_prefix" },
  { "BuiltinIPPrefix", "ip_namespace", "BuiltinIPNamespace", ONE, TRUE, R (GENERIC), "ip_namespace__ip_prefix" },
  { "BuiltinIPPrefix", "ip_addresses", "BuiltinIPAddress", MANY, TRUE, R (GENERIC), "ip_prefix__ip_address" },
  { "BuiltinIPPrefix", "resource_pool", "CoreIPAddressPool", MANY, TRUE, R (GENERIC), "ipaddresspool__resource" },
  { "BuiltinIPAddress", "ip_namespace", "BuiltinIPNamespace", ONE, TRUE, R (GENERIC), "ip_namespace__ip_address" },
  { "BuiltinIPAddress", "ip_prefix", "BuiltinIPPrefix", ONE, TRUE, R (GENERIC), "ip_prefix__ip_address" },

  { "CoreGenericAccount", "tokens", "InternalAccountToken", MANY, TRUE, R (GENERIC), "account__token" },
  { "CoreAccount", "tokens", "InternalAccountToken", MANY, TRUE, R (GENERIC), "account__token" },
  { "InternalAccountToken", "account", "CoreGenericAccount", ONE, FALSE, R (GENERIC), "account__token" },
  { "InternalRefreshToken", "account", "CoreGenericAccount", ONE, FALSE, R (GENERIC), "account__refreshtoken" },
  { "CoreUserPreference", "account", "CoreGenericAccount", ONE, FALSE, R (PARENT), "account__preferences" },
  { "CoreAccountGroup", "roles", "CoreAccountRole", MANY, TRUE, R (ATTRIBUTE), "role__accountgroups" },
  { "CoreAccountGroup", "members", "CoreNode", MANY, TRUE, R (GENERIC), "group_member" },
  { "CoreAccountRole", "groups", "CoreAccountGroup", MANY, TRUE, R (ATTRIBUTE), "role__accountgroups" },
  { "CoreAccountRole", "permissions", "CoreBasePermission", MANY, TRUE, R (ATTRIBUTE), "role__permissions" },
  { "CoreBasePermission", "roles", "CoreAccountRole", MANY, TRUE, R (ATTRIBUTE), "role__permissions" },
  { "CoreGlobalPermission", "roles", "CoreAccountRole", MANY, TRUE, R (ATTRIBUTE), "role__permissions" },
  { "CoreObjectPermission", "roles", "CoreAccountRole", MANY, TRUE, R (ATTRIBUTE), "role__permissions" },

  { "CoreGroup", "members", "CoreNode", MANY, TRUE, R (GENERIC), "group_member" },
  { "CoreGroup", "subscribers", "CoreNode", MANY, TRUE, R (GENERIC), "group_subscriber" },
  { "CoreStandardGroup", "members", "CoreNode", MANY, TRUE, R (GENERIC), "group_member" },
  { "CoreGraphQLQueryGroup", "query", "CoreGraphQLQuery", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreRepositoryGroup", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), NULL },

  { "CoreGraphQLQuery", "repository", "CoreGenericRepository", ONE, TRUE, R (ATTRIBUTE), "graphql_query__repository" },
  { "CoreGraphQLQuery", "tags", "BuiltinTag", MANY, TRUE, R (ATTRIBUTE), NULL },
  { "CoreGenericRepository", "credential", "CoreCredential", ONE, TRUE, R (ATTRIBUTE), "gitrepository__credential" },
  { "CoreGenericRepository", "tags", "BuiltinTag", MANY, TRUE, R (ATTRIBUTE), NULL },
  { "CoreGenericRepository", "transformations", "CoreTransformation", MANY, TRUE, R (GENERIC), "repository__transformation" },
  { "CoreGenericRepository", "queries", "CoreGraphQLQuery", MANY, TRUE, R (GENERIC), "graphql_query__repository" },
  { "CoreGenericRepository", "checks", "CoreCheckDefinition", MANY, TRUE, R (GENERIC), "check_definition__repository" },
  { "CoreGenericRepository", "generators", "CoreGeneratorDefinition", MANY, TRUE, R (GENERIC), "generator_definition__repository" },
  { "CoreRepository", "queries", "CoreGraphQLQuery", MANY, TRUE, R (GENERIC), "graphql_query__repository" },
  { "CoreReadOnlyRepository", "credential", "CoreCredential", ONE, TRUE, R (ATTRIBUTE), "gitrepository__credential" },
  { "CoreTransformation", "query", "CoreGraphQLQuery", ONE, FALSE, R (ATTRIBUTE), "graphql_query__transformation" },
  { "CoreTransformation", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), "repository__transformation" },
  { "CoreTransformation", "tags", "BuiltinTag", MANY, TRUE, R (ATTRIBUTE), NULL },
  { "CoreTransformJinja2", "query", "CoreGraphQLQuery", ONE, FALSE, R (ATTRIBUTE), "graphql_query__transformation" },
  { "CoreTransformPython", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), "repository__transformation" },
  { "CoreArtifactDefinition", "targets", "CoreGroup", ONE, FALSE, R (ATTRIBUTE), "artifact_definition___group" },
  { "CoreArtifactDefinition", "transformation", "CoreTransformation", ONE, FALSE, R (ATTRIBUTE), "artifact_definition___transformation" },
  { "CoreArtifact", "object", "CoreNode", ONE, FALSE, R (ATTRIBUTE), "artifact__node" },
  { "CoreArtifact", "definition", "CoreArtifactDefinition", ONE, FALSE, R (ATTRIBUTE), "artifact__artifact_definition" },
  { "CoreArtifactTarget", "artifacts", "CoreArtifact", MANY, TRUE, R (GENERIC), "artifact__node" },
  { "CoreCheckDefinition", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), "check_definition__repository" },
  { "CoreCheckDefinition", "query", "CoreGraphQLQuery", ONE, TRUE, R (ATTRIBUTE), "check_definition__graphql_query" },
  { "CoreCheckDefinition", "targets", "CoreGroup", ONE, TRUE, R (ATTRIBUTE), "check_definition___group" },
  { "CoreCheckDefinition", "tags", "BuiltinTag", MANY, TRUE, R (ATTRIBUTE), NULL },
  { "CoreGeneratorDefinition", "query", "CoreGraphQLQuery", ONE, FALSE, R (ATTRIBUTE), "generator_definition__graphql_query" },
  { "CoreGeneratorDefinition", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), "generator_definition__repository" },
  { "CoreGeneratorDefinition", "targets", "CoreGroup", ONE, FALSE, R (ATTRIBUTE), "generator_definition___group" },
  { "CoreGeneratorInstance", "object", "CoreNode", ONE, FALSE, R (ATTRIBUTE), "generator__node" },
  { "CoreGeneratorInstance", "definition", "CoreGeneratorDefinition", ONE, FALSE, R (ATTRIBUTE), "generator__generator_definition" },

  { "CoreProposedChange", "approved_by", "CoreGenericAccount", MANY, TRUE, R (ATTRIBUTE), "coreaccount__proposedchange_approved_by" },
  { "CoreProposedChange", "rejected_by", "CoreGenericAccount", MANY, TRUE, R (ATTRIBUTE), "coreaccount__proposedchange_rejected_by" },
  { "CoreProposedChange", "reviewers", "CoreGenericAccount", MANY, TRUE, R (ATTRIBUTE), "coreaccount__proposedchange_reviewed_by" },
  { "CoreProposedChange", "created_by", "CoreGenericAccount", ONE, TRUE, R (ATTRIBUTE), "coreaccount__proposedchange_created_by" },
  { "CoreProposedChange", "comments", "CoreChangeComment", MANY, TRUE, R (COMPONENT), NULL },
  { "CoreProposedChange", "threads", "CoreThread", MANY, TRUE, R (COMPONENT), "proposedchange__thread" },
  { "CoreProposedChange", "validations", "CoreValidator", MANY, TRUE, R (COMPONENT), "proposed_change__validator" },
  { "CoreProposedChangeApproval", "approver", "CoreGenericAccount", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreProposedChangeReject", "rejecter", "CoreGenericAccount", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreThread", "change", "CoreProposedChange", ONE, FALSE, R (PARENT), "proposedchange__thread" },
  { "CoreThread", "comments", "CoreThreadComment", MANY, TRUE, R (COMPONENT), "thread__threadcomment" },
  { "CoreThread", "created_by", "CoreGenericAccount", ONE, TRUE, R (GENERIC), "thread__account" },
  { "CoreFileThread", "change", "CoreProposedChange", ONE, FALSE, R (PARENT), "proposedchange__thread" },
  { "CoreFileThread", "repository", "CoreRepository", ONE, FALSE, R (GENERIC), NULL },
  { "CoreComment", "created_by", "CoreGenericAccount", ONE, TRUE, R (GENERIC), "comment__account" },
  { "CoreChangeComment", "change", "CoreProposedChange", ONE, FALSE, R (PARENT), NULL },
  { "CoreThreadComment", "thread", "CoreThread", ONE, FALSE, R (PARENT), "thread__threadcomment" },
  { "CoreValidator", "proposed_change", "CoreProposedChange", ONE, FALSE, R (PARENT), "proposed_change__validator" },
  { "CoreValidator", "checks", "CoreCheck", MANY, TRUE, R (COMPONENT), "validator__check" },
  { "CoreRepositoryValidator", "repository", "CoreGenericRepository", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreUserValidator", "check_definition", "CoreCheckDefinition", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreArtifactValidator", "definition", "CoreArtifactDefinition", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreGeneratorValidator", "definition", "CoreGeneratorDefinition", ONE, FALSE, R (ATTRIBUTE), NULL },
  { "CoreCheck", "validator", "CoreValidator", ONE, FALSE, R (PARENT), "validator__check" },
  { "CoreDataCheck", "validator", "CoreValidator", ONE, FALSE, R (PARENT), "validator__check" },

  { "CoreIPPrefixPool", "resources", "BuiltinIPPrefix", MANY, FALSE, R (ATTRIBUTE), "prefixpool__resource" },
  { "CoreIPPrefixPool", "ip_namespace", "BuiltinIPNamespace", ONE, FALSE, R (ATTRIBUTE), "prefixpool__ipnamespace" },
  { "CoreIPAddressPool", "resources", "BuiltinIPPrefix", MANY, FALSE, R (ATTRIBUTE), "ipaddresspool__resource" },
  { "CoreIPAddressPool", "ip_namespace", "BuiltinIPNamespace", ONE, FALSE, R (ATTRIBUTE), "ipaddresspool__ipnamespace" },
  { "CoreStandardWebhook", "headers", "CoreKeyValue", MANY, TRUE, R (ATTRIBUTE), "webhook__headers" },
  { "CoreTriggerRule", "action", "CoreAction", ONE, FALSE, R (ATTRIBUTE), "core_action__core_triggerrule" },
  { "CoreAction", "triggers", "CoreTriggerRule", MANY, TRUE, R (ATTRIBUTE), "core_action__core_triggerrule" },
  { "CoreNodeTriggerRule", "matches", "CoreNodeTriggerMatch", MANY, TRUE, R (COMPONENT), "core_node_trigger_match__core_trigger_rule" },
  { "CoreNodeTriggerAttributeMatch", "trigger", "CoreNodeTriggerRule", ONE, FALSE, R (PARENT), "core_node_trigger_match__core_trigger_rule" },
  { "CoreGroupTriggerRule", "group", "CoreGroup", ONE, FALSE, R (ATTRIBUTE), "core_group_trigger__group" },
  { "CoreGeneratorAction", "generator", "CoreGeneratorDefinition", ONE, FALSE, R (ATTRIBUTE), "core_generator_action__generator_definition" },
  { "CoreGroupAction", "group", "CoreGroup", ONE, FALSE, R (ATTRIBUTE), "core_action__group" },
  { "CoreCustomWebhook", "transformation", "CoreTransformPython", ONE, TRUE, R (ATTRIBUTE), "webhook___transformation" },
};

typedef struct
{
  const char *kind;
  const char *attribute;
  const char *values_json;  /* the enum as compact JSON */
} EnumCase;

static const EnumCase enum_cases[] = {
  { "CoreGenericAccount", "account_type", "[\"User\",\"Script\",\"Bot\",\"Git\"]" },
  { "CoreGenericAccount", "role", "[\"admin\",\"read-only\",\"read-write\"]" },
  { "CoreBasePermission", "decision", "[1,2,4,6]" },
  { "CoreObjectPermission", "action", "[\"any\",\"create\",\"update\",\"delete\",\"view\"]" },
  { "CoreGroup", "group_type", "[\"default\",\"internal\"]" },
  { "CoreArtifact", "status", "[\"Error\",\"Pending\",\"Processing\",\"Ready\"]" },
  { "CoreGeneratorInstance", "status", "[\"Error\",\"Pending\",\"Processing\",\"Ready\"]" },
  { "CoreProposedChange", "state", "[\"open\",\"merged\",\"closed\",\"canceled\",\"merging\"]" },
  { "CoreValidator", "state", "[\"queued\",\"in_progress\",\"completed\"]" },
  { "CoreValidator", "conclusion", "[\"unknown\",\"failure\",\"success\"]" },
  { "CoreCheck", "conclusion", "[\"unknown\",\"failure\",\"success\"]" },
  { "CoreCheck", "severity", "[\"success\",\"info\",\"warning\",\"error\",\"critical\"]" },
  { "CoreDataCheck", "keep_branch", "[\"target\",\"source\"]" },
  { "CoreIPPrefixPool", "default_member_type", "[\"prefix\",\"address\"]" },
  { "CoreNumberPool", "pool_type", "[\"User\",\"Schema\"]" },
  { "CoreMenu", "section", "[\"object\",\"internal\"]" },
  { "CoreNodeTriggerRule", "mutation_action", "[\"created\",\"deleted\",\"updated\"]" },
};

typedef struct
{
  const char *kind;
  const char *attribute;
  const char *names;  /* choice names joined with "," */
} ChoicesCase;

static const ChoicesCase choices_cases[] = {
  { "CoreGenericAccount", "status", "active,inactive" },
  { "CoreAccount", "status", "active,inactive" },
  { "CoreGlobalPermission", "action",
    "edit_default_branch,super_admin,merge_branch,merge_proposed_change,manage_schema,"
    "manage_accounts,manage_permissions,manage_repositories,override_context" },
  { "CoreGenericRepository", "internal_status", "staging,active,inactive" },
  { "CoreGenericRepository", "operational_status", "unknown,online,error-cred,error-connection,error" },
  { "CoreGenericRepository", "sync_status", "unknown,in-sync,error-import,syncing" },
  { "BuiltinIPPrefix", "member_type", "prefix,address" },
  { "CoreWebhook", "branch_scope", "all_branches,default_branch,other_branches" },
  { "CoreTriggerRule", "branch_scope", "all_branches,default_branch,other_branches" },
  { "CoreNodeTriggerAttributeMatch", "value_match", "value,value_previous,value_full" },
};

typedef struct
{
  const char *kind;
  const char *generic;
} IsACase;

static const IsACase is_a_cases[] = {
  { "CoreAccount", "CoreGenericAccount" },
  { "CoreAccount", "LineageOwner" },
  { "CoreAccount", "LineageSource" },
  { "CoreAccountGroup", "CoreGroup" },
  { "CoreStandardGroup", "CoreGroup" },
  { "CoreGeneratorGroup", "CoreGroup" },
  { "CoreGraphQLQueryGroup", "CoreGroup" },
  { "CoreRepositoryGroup", "CoreGroup" },
  { "CoreGlobalPermission", "CoreBasePermission" },
  { "CoreObjectPermission", "CoreBasePermission" },
  { "CorePasswordCredential", "CoreCredential" },
  { "IpamNamespace", "BuiltinIPNamespace" },
  { "CoreRepository", "CoreGenericRepository" },
  { "CoreRepository", "CoreTaskTarget" },
  { "CoreReadOnlyRepository", "CoreGenericRepository" },
  { "CoreTransformJinja2", "CoreTransformation" },
  { "CoreTransformPython", "CoreTransformation" },
  { "CoreArtifact", "CoreTaskTarget" },
  { "CoreArtifactDefinition", "CoreTaskTarget" },
  { "CoreGeneratorDefinition", "CoreTaskTarget" },
  { "CoreProposedChange", "CoreTaskTarget" },
  { "CoreChangeThread", "CoreThread" },
  { "CoreFileThread", "CoreThread" },
  { "CoreArtifactThread", "CoreThread" },
  { "CoreObjectThread", "CoreThread" },
  { "CoreChangeComment", "CoreComment" },
  { "CoreThreadComment", "CoreComment" },
  { "CoreDataValidator", "CoreValidator" },
  { "CoreGeneratorValidator", "CoreValidator" },
  { "CoreStandardCheck", "CoreCheck" },
  { "CoreGeneratorCheck", "CoreCheck" },
  { "CoreIPPrefixPool", "CoreResourcePool" },
  { "CoreIPAddressPool", "CoreResourcePool" },
  { "CoreNumberPool", "CoreResourcePool" },
  { "CoreNumberPool", "LineageSource" },
  { "CoreStandardWebhook", "CoreWebhook" },
  { "CoreCustomWebhook", "CoreWebhook" },
  { "CoreCustomWebhook", "CoreTaskTarget" },
  { "CoreStaticKeyValue", "CoreKeyValue" },
  { "CoreEnvKeyValue", "CoreKeyValue" },
  { "CoreNodeTriggerRule", "CoreTriggerRule" },
  { "CoreGroupTriggerRule", "CoreTriggerRule" },
  { "CoreNodeTriggerAttributeMatch", "CoreNodeTriggerMatch" },
  { "CoreNodeTriggerRelationshipMatch", "CoreNodeTriggerMatch" },
  { "CoreGeneratorAction", "CoreAction" },
  { "CoreGroupAction", "CoreAction" },
  { "CoreMenuItem", "CoreMenu" },
};

/* Marks the test failed and goes on, so that one run lists every mismatch
 * (the TAP line only carries the last one, hence the message too). */
static void report_failure (const char *format,
                            ...) G_GNUC_PRINTF (1, 2);

static void
report_failure (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_test_message ("%s", message);
  g_test_fail_printf ("%s", message);
}

static BoughSchema *
load_core (void)
{
  g_autoptr(GError) error = NULL;
  BoughSchema *schema;

  schema = bough_schema_new_core (&error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);

  return schema;
}

static const char *
branch_name (BoughBranchSupport branch)
{
  switch (branch)
    {
    case BOUGH_BRANCH_SUPPORT_AWARE:
      return "aware";
    case BOUGH_BRANCH_SUPPORT_AGNOSTIC:
      return "agnostic";
    case BOUGH_BRANCH_SUPPORT_LOCAL:
      return "local";
    default:
      return "?";
    }
}

static char *
node_to_compact_json (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("(none)");

  return json_to_string (node, FALSE);
}

/* Both sides are normalised through json-glib so that 10 and 10.0, or
 * whitespace, do not matter; only the value does. */
static gboolean
json_values_equal (JsonNode   *actual,
                   const char *expected_json)
{
  g_autoptr(JsonNode) expected = NULL;

  if (actual == NULL || expected_json == NULL)
    return actual == NULL && expected_json == NULL;

  expected = json_from_string (expected_json, NULL);
  g_assert_nonnull (expected);

  if (JSON_NODE_HOLDS_VALUE (actual) && JSON_NODE_HOLDS_VALUE (expected) &&
      json_node_get_value_type (actual) != json_node_get_value_type (expected) &&
      (json_node_get_value_type (actual) == G_TYPE_INT64 ||
       json_node_get_value_type (actual) == G_TYPE_DOUBLE) &&
      (json_node_get_value_type (expected) == G_TYPE_INT64 ||
       json_node_get_value_type (expected) == G_TYPE_DOUBLE))
    return json_node_get_double (actual) == json_node_get_double (expected);

  return json_node_equal (actual, expected);
}

static void
test_core_builds (void)
{
  g_autoptr(BoughSchema) schema = load_core ();
  g_autoptr(BoughSchema) again = load_core ();
  const char *hash;

  hash = bough_schema_get_hash (schema);
  g_assert_nonnull (hash);
  g_assert_cmpstr (hash, !=, "");

  /* The built-in schema is the base of every database: it must be identical
   * from one start to the next, or every branch would see a schema change. */
  g_assert_cmpstr (bough_schema_get_hash (again), ==, hash);
}

static void
test_core_resource_files (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint n_yml = 0;

  names = g_resources_enumerate_children ("/org/bough/schema/core",
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (names);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *path = g_strconcat ("/org/bough/schema/core/", names[i], NULL);

      g_assert_true (g_str_has_suffix (names[i], ".yml"));
      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
      n_yml++;
    }

  g_assert_cmpuint (n_yml, ==, 12);
}

static void
test_core_kinds (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      const KindCase *c = &kind_cases[i];
      BoughNodeSchema *node = bough_schema_lookup (schema, c->kind);

      if (node == NULL)
        {
          report_failure ("kind %s is missing", c->kind);
          continue;
        }

      g_assert_cmpstr (node->kind, ==, c->kind);
      if (node->is_generic != c->is_generic)
        report_failure ("%s: expected a %s", c->kind, c->is_generic ? "generic" : "node");
      if (node->branch != c->branch)
        report_failure ("%s: branch is %s, expected %s", c->kind,
                            branch_name (node->branch), branch_name (c->branch));
    }
}

static void
test_core_attributes (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (attr_cases); i++)
    {
      const AttrCase *c = &attr_cases[i];
      BoughNodeSchema *node = bough_schema_lookup (schema, c->kind);
      BoughAttributeSchema *attr;

      if (node == NULL)
        {
          report_failure ("kind %s is missing", c->kind);
          continue;
        }

      attr = bough_node_schema_get_attribute (node, c->name);
      if (attr == NULL)
        {
          report_failure ("%s.%s is missing", c->kind, c->name);
          continue;
        }

      if (attr->kind != c->attr_kind)
        report_failure ("%s.%s: kind %s, expected %s", c->kind, c->name,
                            bough_attribute_kind_to_string (attr->kind),
                            bough_attribute_kind_to_string (c->attr_kind));
      /* Processing makes an attribute with a default optional: the default
       * satisfies it when no value is given. */
      if (attr->optional != (c->optional || c->default_json != NULL))
        report_failure ("%s.%s: optional is %d", c->kind, c->name, attr->optional);
      if (attr->unique != c->unique)
        report_failure ("%s.%s: unique is %d", c->kind, c->name, attr->unique);
      if (attr->read_only != c->read_only)
        report_failure ("%s.%s: read_only is %d", c->kind, c->name, attr->read_only);
      if (c->branch != ANY_BRANCH && attr->branch != c->branch)
        report_failure ("%s.%s: branch is %s, expected %s", c->kind, c->name,
                            branch_name (attr->branch), branch_name (c->branch));
      if (!json_values_equal (attr->default_value, c->default_json))
        {
          g_autofree char *actual = node_to_compact_json (attr->default_value);

          report_failure ("%s.%s: default %s, expected %s", c->kind, c->name,
                              actual, c->default_json ? c->default_json : "(none)");
        }
    }
}

static void
test_core_inherited_attributes (void)
{
  g_autoptr(BoughSchema) schema = load_core ();
  BoughNodeSchema *node;
  BoughAttributeSchema *attr;
  BoughRelationshipSchema *rel;

  /* A node gets the attributes and relationships of its generics and
   * remembers where each came from. */
  node = bough_schema_lookup (schema, "CoreAccount");
  g_assert_nonnull (node);
  attr = bough_node_schema_get_attribute (node, "name");
  g_assert_nonnull (attr);
  g_assert_cmpstr (attr->inherited_from, ==, "CoreGenericAccount");
  rel = bough_node_schema_get_relationship (node, "tokens");
  g_assert_nonnull (rel);
  g_assert_cmpstr (rel->inherited_from, ==, "CoreGenericAccount");

  node = bough_schema_lookup (schema, "CoreStandardWebhook");
  g_assert_nonnull (node);
  attr = bough_node_schema_get_attribute (node, "url");
  g_assert_nonnull (attr);
  g_assert_cmpstr (attr->inherited_from, ==, "CoreWebhook");
  attr = bough_node_schema_get_attribute (node, "shared_key");
  g_assert_nonnull (attr);
  g_assert_null (attr->inherited_from);

  /* The repository generic keeps per-attribute branch support although the
   * node itself is agnostic. */
  node = bough_schema_lookup (schema, "CoreReadOnlyRepository");
  g_assert_nonnull (node);
  attr = bough_node_schema_get_attribute (node, "sync_status");
  g_assert_nonnull (attr);
  g_assert_cmpint (attr->branch, ==, BOUGH_BRANCH_SUPPORT_LOCAL);
  attr = bough_node_schema_get_attribute (node, "name");
  g_assert_nonnull (attr);
  g_assert_cmpint (attr->branch, ==, BOUGH_BRANCH_SUPPORT_AGNOSTIC);
}

static void
test_core_relationships (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (rel_cases); i++)
    {
      const RelCase *c = &rel_cases[i];
      BoughNodeSchema *node = bough_schema_lookup (schema, c->kind);
      BoughRelationshipSchema *rel;

      if (node == NULL)
        {
          report_failure ("kind %s is missing", c->kind);
          continue;
        }

      rel = bough_node_schema_get_relationship (node, c->name);
      if (rel == NULL)
        {
          report_failure ("%s.%s is missing", c->kind, c->name);
          continue;
        }

      if (g_strcmp0 (rel->peer, c->peer) != 0)
        report_failure ("%s.%s: peer %s, expected %s", c->kind, c->name, rel->peer, c->peer);
      if (rel->cardinality != c->cardinality)
        report_failure ("%s.%s: wrong cardinality", c->kind, c->name);
      if (rel->optional != c->optional)
        report_failure ("%s.%s: optional is %d", c->kind, c->name, rel->optional);
      if (rel->kind != c->rel_kind)
        report_failure ("%s.%s: relationship kind %d, expected %d",
                            c->kind, c->name, rel->kind, c->rel_kind);
      if (c->identifier != NULL && g_strcmp0 (rel->identifier, c->identifier) != 0)
        report_failure ("%s.%s: identifier %s, expected %s",
                            c->kind, c->name, rel->identifier, c->identifier);
    }
}

static void
test_core_relationship_details (void)
{
  g_autoptr(BoughSchema) schema = load_core ();
  BoughNodeSchema *node;
  BoughRelationshipSchema *rel;

  /* Deleting a proposed change deletes its threads, comments and validators. */
  node = bough_schema_lookup (schema, "CoreProposedChange");
  g_assert_nonnull (node);
  rel = bough_node_schema_get_relationship (node, "threads");
  g_assert_nonnull (rel);
  g_assert_cmpint (rel->on_delete, ==, BOUGH_ON_DELETE_CASCADE);
  rel = bough_node_schema_get_relationship (node, "validations");
  g_assert_nonnull (rel);
  g_assert_cmpint (rel->on_delete, ==, BOUGH_ON_DELETE_CASCADE);
  rel = bough_node_schema_get_relationship (node, "reviewers");
  g_assert_nonnull (rel);
  g_assert_cmpint (rel->on_delete, ==, BOUGH_ON_DELETE_NO_ACTION);
  g_assert_cmpint (rel->branch, ==, BOUGH_BRANCH_SUPPORT_AGNOSTIC);

  /* Pool allocations are visible from every branch. */
  node = bough_schema_lookup (schema, "CoreIPPrefixPool");
  g_assert_nonnull (node);
  rel = bough_node_schema_get_relationship (node, "resources");
  g_assert_nonnull (rel);
  g_assert_cmpint (rel->branch, ==, BOUGH_BRANCH_SUPPORT_AGNOSTIC);

  node = bough_schema_lookup (schema, "BuiltinIPNamespace");
  g_assert_nonnull (node);
  rel = bough_node_schema_get_relationship (node, "ip_prefixes");
  g_assert_nonnull (rel);
  g_assert_cmpint (rel->on_delete, ==, BOUGH_ON_DELETE_CASCADE);
}

static void
test_core_enums (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (enum_cases); i++)
    {
      const EnumCase *c = &enum_cases[i];
      BoughNodeSchema *node = bough_schema_lookup (schema, c->kind);
      BoughAttributeSchema *attr = node ? bough_node_schema_get_attribute (node, c->attribute) : NULL;
      g_autoptr(JsonNode) array_node = NULL;

      if (attr == NULL)
        {
          report_failure ("%s.%s is missing", c->kind, c->attribute);
          continue;
        }
      if (attr->enum_values == NULL)
        {
          report_failure ("%s.%s has no enum", c->kind, c->attribute);
          continue;
        }

      array_node = json_node_init_array (json_node_alloc (), attr->enum_values);
      if (!json_values_equal (array_node, c->values_json))
        {
          g_autofree char *actual = node_to_compact_json (array_node);

          report_failure ("%s.%s: enum %s, expected %s", c->kind, c->attribute,
                              actual, c->values_json);
        }
    }
}

static void
test_core_choices (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (choices_cases); i++)
    {
      const ChoicesCase *c = &choices_cases[i];
      BoughNodeSchema *node = bough_schema_lookup (schema, c->kind);
      BoughAttributeSchema *attr = node ? bough_node_schema_get_attribute (node, c->attribute) : NULL;
      g_autoptr(GString) names = g_string_new (NULL);

      if (attr == NULL)
        {
          report_failure ("%s.%s is missing", c->kind, c->attribute);
          continue;
        }
      if (attr->choices == NULL)
        {
          report_failure ("%s.%s has no choices", c->kind, c->attribute);
          continue;
        }

      for (guint j = 0; j < attr->choices->len; j++)
        {
          BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, j);

          if (j > 0)
            g_string_append_c (names, ',');
          g_string_append (names, choice->name);
        }

      if (g_strcmp0 (names->str, c->names) != 0)
        report_failure ("%s.%s: choices %s, expected %s", c->kind, c->attribute,
                            names->str, c->names);
    }
}

static void
test_core_inheritance (void)
{
  g_autoptr(BoughSchema) schema = load_core ();

  for (guint i = 0; i < G_N_ELEMENTS (is_a_cases); i++)
    {
      const IsACase *c = &is_a_cases[i];

      if (!bough_schema_is_a (schema, c->kind, c->generic))
        report_failure ("%s does not inherit %s", c->kind, c->generic);
    }

  /* Sanity check that is_a can say no. */
  g_assert_false (bough_schema_is_a (schema, "CoreAccount", "CoreGroup"));
}

static void
test_core_hierarchies (void)
{
  g_autoptr(BoughSchema) schema = load_core ();
  const char *hierarchical[] = { "CoreGroup", "BuiltinIPPrefix", "CoreMenu" };
  const char *flat[] = { "CoreGenericAccount", "BuiltinIPAddress", "CoreValidator" };

  for (guint i = 0; i < G_N_ELEMENTS (hierarchical); i++)
    {
      BoughNodeSchema *node = bough_schema_lookup (schema, hierarchical[i]);

      g_assert_nonnull (node);
      g_assert_true (node->is_generic);
      g_assert_true (node->hierarchical);
    }

  for (guint i = 0; i < G_N_ELEMENTS (flat); i++)
    {
      BoughNodeSchema *node = bough_schema_lookup (schema, flat[i]);

      g_assert_nonnull (node);
      g_assert_false (node->hierarchical);
    }
}

static void
test_core_uniqueness (void)
{
  g_autoptr(BoughSchema) schema = load_core ();
  BoughNodeSchema *node;
  gboolean found = FALSE;

  node = bough_schema_lookup (schema, "CoreGenericAccount");
  g_assert_nonnull (node);
  g_assert_nonnull (node->human_friendly_id);
  g_assert_cmpstr (node->human_friendly_id[0], ==, "name__value");
  g_assert_null (node->human_friendly_id[1]);

  /* A repository is unique by name and, separately, by location. */
  node = bough_schema_lookup (schema, "CoreGenericRepository");
  g_assert_nonnull (node);
  for (guint i = 0; i < node->uniqueness_constraints->len; i++)
    {
      char **constraint = g_ptr_array_index (node->uniqueness_constraints, i);

      if (g_strv_length (constraint) == 1 && g_str_equal (constraint[0], "location__value"))
        found = TRUE;
    }
  g_assert_true (found);

  found = FALSE;
  node = bough_schema_lookup (schema, "CoreObjectPermission");
  g_assert_nonnull (node);
  for (guint i = 0; i < node->uniqueness_constraints->len; i++)
    {
      char **constraint = g_ptr_array_index (node->uniqueness_constraints, i);
      const char *expected[] = { "namespace__value", "name__value", "action__value",
                                 "decision__value", NULL };

      if (g_strv_equal ((const char * const *) constraint, expected))
        found = TRUE;
    }
  g_assert_true (found);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
schema_library_dir (void)
{
  const char *library = g_getenv ("BOUGH_SCHEMA_LIBRARY");
  g_autofree char *base = NULL;

  if (library == NULL || *library == '\0')
    return NULL;

  base = g_build_filename (library, "base", NULL);
  if (!g_file_test (base, G_FILE_TEST_IS_DIR))
    return NULL;

  return g_steal_pointer (&base);
}

static void
test_core_schema_library_base (void)
{
  g_autofree char *base = schema_library_dir ();
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  BoughNodeSchema *node;
  const char *name;

  if (base == NULL)
    {
      g_test_skip ("BOUGH_SCHEMA_LIBRARY is unset or has no base/ directory");
      return;
    }

  core = load_core ();

  dir = g_dir_open (base, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".yml") || g_str_has_suffix (name, ".yaml"))
        g_ptr_array_add (files, g_build_filename (base, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);
  g_assert_cmpuint (files->len, >, 0);

  /* Loaded as a user would: not internal, so only through the core generics. */
  builder = bough_schema_builder_new (core);
  for (guint i = 0; i < files->len; i++)
    {
      bough_schema_builder_add_file (builder, g_ptr_array_index (files, i), &error);
      g_assert_no_error (error);
    }
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);

  /* The core kinds are still there, and library kinds build on them. */
  g_assert_nonnull (bough_schema_lookup (schema, "CoreAccount"));
  g_assert_nonnull (bough_schema_lookup (schema, "CoreProposedChange"));

  node = bough_schema_lookup (schema, "IpamPrefix");
  g_assert_nonnull (node);
  g_assert_true (bough_schema_is_a (schema, "IpamPrefix", "BuiltinIPPrefix"));
  g_assert_nonnull (bough_node_schema_get_attribute (node, "prefix"));
  g_assert_nonnull (bough_node_schema_get_attribute (node, "member_type"));
  g_assert_nonnull (bough_node_schema_get_relationship (node, "ip_namespace"));

  node = bough_schema_lookup (schema, "IpamIPAddress");
  g_assert_nonnull (node);
  g_assert_true (bough_schema_is_a (schema, "IpamIPAddress", "BuiltinIPAddress"));
  g_assert_nonnull (bough_node_schema_get_attribute (node, "address"));

  node = bough_schema_lookup (schema, "DcimDevice");
  g_assert_nonnull (node);
  g_assert_true (bough_schema_is_a (schema, "DcimDevice", "CoreArtifactTarget"));
  g_assert_nonnull (bough_node_schema_get_relationship (node, "artifacts"));

  /* The core schema snapshot itself was not modified by the load. */
  g_assert_null (bough_schema_lookup (core, "DcimDevice"));
}

static void
test_core_namespaces_restricted (void)
{
  static const char user_schema[] =
    "version: \"1.0\"\n"
    "nodes:\n"
    "  - name: Widget\n"
    "    namespace: Core\n"
    "    attributes:\n"
    "      - name: name\n"
    "        kind: Text\n";
  g_autoptr(BoughSchema) core = load_core ();
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Users may not add kinds to the namespaces the built-in schema owns. */
  builder = bough_schema_builder_new (core);
  ok = bough_schema_builder_add_data (builder, user_schema, -1, "test", &error);
  if (ok)
    schema = bough_schema_builder_build (builder, &error);
  g_assert_null (schema);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BOUGH_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core-schema/builds", test_core_builds);
  g_test_add_func ("/core-schema/resource-files", test_core_resource_files);
  g_test_add_func ("/core-schema/kinds", test_core_kinds);
  g_test_add_func ("/core-schema/attributes", test_core_attributes);
  g_test_add_func ("/core-schema/inherited-attributes", test_core_inherited_attributes);
  g_test_add_func ("/core-schema/relationships", test_core_relationships);
  g_test_add_func ("/core-schema/relationship-details", test_core_relationship_details);
  g_test_add_func ("/core-schema/enums", test_core_enums);
  g_test_add_func ("/core-schema/choices", test_core_choices);
  g_test_add_func ("/core-schema/inheritance", test_core_inheritance);
  g_test_add_func ("/core-schema/hierarchies", test_core_hierarchies);
  g_test_add_func ("/core-schema/uniqueness", test_core_uniqueness);
  g_test_add_func ("/core-schema/schema-library-base", test_core_schema_library_base);
  g_test_add_func ("/core-schema/namespaces-restricted", test_core_namespaces_restricted);

  return g_test_run ();
}
